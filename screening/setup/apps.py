from django.apps import AppConfig


class SetupConfig(AppConfig):
    """The clinic admin's screens: rules with preview, questionnaire, calendar, records."""

    name = "screening.setup"
    label = "setup"
    verbose_name = "Clinic set-up"
    default_auto_field = "django.db.models.BigAutoField"
