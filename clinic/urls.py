from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/intake/", permanent=False)),
    path("intake/", include("screening.intake.urls")),
    path("intake/", include("screening.booking.urls")),
    path("intake/", include("screening.courses.urls")),
    path("staff/setup/keys/", include("screening.fhir.key_urls")),  # integration keys, on the set-up pages
    path("staff/setup/", include("screening.setup.area.urls")),  # the clinic's set-up (issue 17)
    # The clinic admin's rule editor and question changes in plain language (issue 17): drafts, preview, publish.
    path("staff/rules/", include("screening.setup.rule_urls")),
    path("staff/questions/", include("screening.setup.question_urls")),
    path("staff/", include("screening.review.urls")),
    path("admin/", admin.site.urls),  # superusers only (screening.setup.admin_site)
    # FHIR R4 for integrations: read-only, an integration key per system (screening/fhir).
    path("fhir/", include("screening.fhir.urls")),
    # For load balancers and monitors, anonymous: "ok" or "failing" per check, nothing more (docs/deploy.md).
    path("health/", include("screening.outbox.urls")),
]

