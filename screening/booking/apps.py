from django.apps import AppConfig


class BookingConfig(AppConfig):
    """Practitioners, opening hours, free times, holds and bookings."""

    name = "screening.booking"
    label = "booking"
    verbose_name = "Bookings"
    default_auto_field = "django.db.models.BigAutoField"
