from django.urls import path

from screening.outbox import views

app_name = "health"
urlpatterns = [
    path("", views.health, name="health"),
    path("web/", views.health_web, name="web"),
]
