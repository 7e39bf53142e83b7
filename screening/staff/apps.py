from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The staff side: queue, decisions, audit trail. Its models live in ``screening``."""

    name = "screening.staff"
    label = "staff"
    verbose_name = "Staff review"

    def ready(self) -> None:
        # Connects the audit trail's receivers (sign-in, sign-out, booking writes)
        # and the one that starts a staff session's clocks at sign-in.
        from screening.staff import audit, checks, middleware  # noqa: F401
