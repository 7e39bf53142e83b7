from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The staff side: queue, decisions, audit trail. Its models live in ``screening``."""

    name = "screening.staff"
    label = "staff"
    verbose_name = "Staff review"

    def ready(self) -> None:
        # Connects the audit trail's receivers (sign-in, sign-out, booking writes).
        from screening.staff import audit  # noqa: F401
