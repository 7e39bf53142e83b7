"""The site's URLs with the booking pages certainly inside the ``screening`` namespace.

Until screening.urls includes screening.booking.urls this adds them; once it
does, the extra copies are harmless (the first match wins, names agree).
"""

from django.contrib import admin
from django.urls import include, path

from screening import urls as screening_urls
from screening.booking import urls as booking_urls

patterns = list(screening_urls.urlpatterns) + list(booking_urls.urlpatterns)

urlpatterns = [
    path("intake/", include((patterns, "screening"))),
    path("admin/", admin.site.urls),
]
