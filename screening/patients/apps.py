from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """One patient across their intakes, sessions, messages and decisions."""

    name = "screening.patients"
    label = "patients"
    verbose_name = "Patients"
    default_auto_field = "django.db.models.BigAutoField"
