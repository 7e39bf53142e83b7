"""Integration keys on the set-up pages, mounted at /staff/setup/keys/ by clinic.urls (namespace ``keys``)."""

from django.urls import path

from screening.fhir import key_views

app_name = "keys"
urlpatterns = [
    path("", key_views.key_list, name="list"),
    path("new/", key_views.key_new, name="new"),
    path("<int:token_id>/revoke/", key_views.key_revoke, name="revoke"),
]
