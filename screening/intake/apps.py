from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Intakes, links, screenings and every patient page of the intake."""

    name = "screening.intake"
    label = "intake"
    verbose_name = "Intakes"
    default_auto_field = "django.db.models.BigAutoField"
