from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The clinic: settings, treatments, time zone, rate limits, client address."""

    name = "screening.core"
    label = "core"
    verbose_name = "Clinic"
    default_auto_field = "django.db.models.BigAutoField"
