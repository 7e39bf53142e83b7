"""The project's URLs plus a staff view someone forgot to protect."""

from django.http import HttpResponse
from django.urls import path

from clinic.urls import urlpatterns as project_urlpatterns


def forgotten(request):
    return HttpResponse("health data")


urlpatterns = [path("staff/new-report/", forgotten, name="forgotten")] + project_urlpatterns
