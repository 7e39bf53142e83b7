from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every message to a patient, as a row, and the task that sends it. Uses only core and audit."""

    name = "screening.outbox"
    label = "outbox"
    verbose_name = "Messages to patients"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from screening.outbox import checks  # noqa: F401  (registers the deploy check)
