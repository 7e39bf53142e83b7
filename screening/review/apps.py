from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Staff sign-in and two-factor, the queue, clinicians' decisions."""

    name = "screening.review"
    label = "review"
    verbose_name = "Staff review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-in and sign-out lines in the audit trail, the staff session clocks, system checks.
        from screening.review import checks, middleware, signin  # noqa: F401
