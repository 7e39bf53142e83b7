from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    verbose_name = "Clinic screening"
    default_auto_field = "django.db.models.BigAutoField"
