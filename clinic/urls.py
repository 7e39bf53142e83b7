from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/intake/", permanent=False)),
    path("intake/", include("screening.intake.urls")),
    path("intake/", include("screening.booking.urls")),
    path("intake/", include("screening.courses.urls")),
    path("staff/", include("screening.review.urls")),
    path("admin/", admin.site.urls),
]

