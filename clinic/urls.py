from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/intake/", permanent=False)),
    path("intake/", include("screening.urls")),
    path("intake/", include("screening.staff.patient_urls")),
    path("staff/", include("screening.staff.urls")),
    path("admin/", admin.site.urls),
]

if settings.BENCH_FLOOR:
    # The benchmark's floor (screening/bench/floor.py): never mounted otherwise.
    urlpatterns.append(path("bench-floor/", include("screening.bench.urls")))
