"""The benchmark's URLconf: the product's URLs, and the floor view beside them at /bench-floor/."""

from django.urls import include, path

from bench.floor import floor

urlpatterns = [
    path("bench-floor/", floor, name="bench_floor"),
    path("", include("clinic.urls")),
]
