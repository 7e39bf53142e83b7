from django.urls import path

from screening.intake import answers, language_views, views

app_name = "intake"
urlpatterns = [
    path("", views.start, name="start"),
    path("<uuid:public_id>/step/<int:number>/", views.step, name="step"),
    path("<uuid:public_id>/outcome/", views.outcome, name="outcome"),
    path("r/<str:token>/", views.link, name="link"),
    path("continue/", views.link_continue, name="link_continue"),
    path("new-link/", views.link_request, name="link_request"),
    # The patient's language (Spanish or English), remembered on their intake.
    path("language/", language_views.language, name="language"),
    # A clinician's question, answered by the patient.
    path("<uuid:public_id>/update/", answers.answers_update, name="answers_update"),
    # "I answered something by mistake" (issue 17).
    path("<uuid:public_id>/correct/", answers.answers_correct, name="answers_correct"),
]
