"""The set-up pages, mounted at /staff/setup/ by clinic.urls (namespace ``setup``)."""

from django.urls import path

from screening.setup.area import audit_trail, terms, views

app_name = "setup"
urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile, name="profile"),
    path("locations/", views.locations, name="locations"),
    path("locations/new/", views.location, name="location_new"),
    path("locations/<int:location_id>/", views.location, name="location"),
    path("locations/<int:location_id>/hours/", views.location_hours, name="location_hours"),
    path("treatments/", views.treatments, name="treatments"),
    path("treatments/new/", views.treatment, name="treatment_new"),
    path("treatments/<int:treatment_id>/", views.treatment, name="treatment"),
    path("practitioners/", views.practitioners, name="practitioners"),
    path("practitioners/new/", views.practitioner, name="practitioner_new"),
    path("practitioners/<int:practitioner_id>/", views.practitioner, name="practitioner"),
    path("practitioners/<int:practitioner_id>/hours/", views.practitioner_hours, name="practitioner_hours"),
    path("practitioners/<int:practitioner_id>/closures/", views.closure_add, name="closure_add"),
    path("practitioners/<int:practitioner_id>/closures/<int:exception_id>/remove/", views.closure_remove,
         name="closure_remove"),
    path("audit/", audit_trail.audit_trail, name="audit"),
    path("medicine-terms/", terms.terms, name="terms"),
    path("medicine-terms/new/", terms.term, name="term_new"),
    path("medicine-terms/<int:term_id>/", terms.term, name="term"),
]
