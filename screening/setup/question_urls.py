"""The clinic admin's questionnaire pages, mounted at /staff/questions/ by clinic.urls (namespace ``questions``)."""

from django.urls import path

from screening.setup import question_views

app_name = "questions"
urlpatterns = [
    path("", question_views.question_list, name="list"),
    path("new/", question_views.question_new, name="new"),
    path("<int:question_id>/change/", question_views.question_start, name="start"),
    path("changes/<int:change_id>/", question_views.change_edit, name="change"),
    path("changes/<int:change_id>/preview/", question_views.change_preview, name="preview"),
    path("changes/<int:change_id>/publish/", question_views.change_publish, name="publish"),
    path("changes/<int:change_id>/discard/", question_views.change_discard, name="discard"),
]
