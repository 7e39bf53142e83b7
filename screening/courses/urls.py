"""The patient's course pages, mounted under /intake/ by clinic.urls (namespace ``courses``)."""

from django.urls import path

from screening.courses import views

app_name = "courses"
urlpatterns = [
    path("<uuid:public_id>/health-check/", views.recheck, name="recheck"),
    path("<uuid:public_id>/next-session/", views.next_session, name="next_session"),
    path("<uuid:public_id>/skin/", views.skin, name="skin"),
]
