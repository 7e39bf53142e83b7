from django.urls import include, path

from screening import views

app_name = "screening"
urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:public_id>/step/<int:number>/", views.step, name="step"),
    path("<uuid:public_id>/outcome/", views.outcome, name="outcome"),
    path("r/<str:token>/", views.link, name="link"),
    path("continue/", views.link_continue, name="link_continue"),
    path("new-link/", views.link_request, name="link_request"),
    path("", include("screening.booking.urls")),
]
