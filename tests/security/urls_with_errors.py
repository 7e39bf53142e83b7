"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from clinic.urls import urlpatterns as site


def boom(request):
    raise RuntimeError("MARKER-TRACEBACK-SECRET")


def bad(request):
    raise SuspiciousOperation("MARKER-SUSPICIOUS")


def denied(request):
    raise PermissionDenied("MARKER-DENIED")


urlpatterns = [
    path("boom/", boom),
    path("bad/", bad),
    path("denied/", denied),
    *site,
]
