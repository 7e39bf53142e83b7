"""Mounted by clinic.urls only when settings.BENCH_FLOOR is true (the benchmark's server)."""

from django.urls import path

from screening.bench.floor import floor

urlpatterns = [path("", floor, name="bench_floor")]
