"""The clinic itself: its settings, the treatments it offers, shared rate-limit counters."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q


def _default_time_zone() -> str:
    return settings.CLINIC_TIME_ZONE


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/London).") from None


def parse_reminder_hours(value: str) -> list[int]:
    """ "48, 3" -> [48, 3]; raises ValueError on anything else."""
    hours = [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if any(h < 1 or h > 24 * 30 for h in hours):
        raise ValueError("out of range")
    return sorted(set(hours), reverse=True)


def validate_reminder_hours(value: str) -> None:
    try:
        hours = parse_reminder_hours(value)
    except ValueError:
        raise ValidationError(
            "Write whole hours between 1 and 720, separated by commas, e.g. \"48, 3\"."
        ) from None
    if len(hours) > 5:
        raise ValidationError("At most five reminders.")


class ClinicSettings(models.Model):
    """The clinic's own settings, edited in the admin. There is one row.

    Opening hours are read in this time zone, and patients see their times in
    it. Bookings are stored in UTC, so changing it never moves a booking.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    time_zone = models.CharField(
        max_length=64,
        default=_default_time_zone,
        validators=[validate_time_zone],
        help_text="An IANA time zone name, e.g. Europe/London. Opening hours are in this zone.",
    )
    address = models.TextField(
        blank=True, help_text="The clinic's address, as patients should read it (reminders, calendar files)."
    )
    phone = models.CharField(max_length=40, blank=True, help_text="The phone number patients can call.")
    reminder_hours = models.CharField(
        max_length=60,
        default="48, 3",
        validators=[validate_reminder_hours],
        help_text="When patients get a reminder, in hours before the appointment, e.g. \"48, 3\". Empty: no reminders.",
    )
    # A held time waits for a clinician: it must leave them time to look, and end
    # early enough that a released time can still go to someone else.
    hold_min_notice_hours = models.PositiveSmallIntegerField(
        "minimum notice for a held time (hours)", default=24,
        help_text="A patient whose form needs a clinician's review can hold a time only this many hours ahead.",
    )
    hold_ends_before_hours = models.PositiveSmallIntegerField(
        "a hold ends before the appointment (hours)", default=12,
        help_text="A held time not yet reviewed is released this many hours before the appointment.",
    )
    hold_alert_hours = models.PositiveSmallIntegerField(
        "alert clinicians before a hold ends (hours)", default=3,
        help_text="Clinicians get an email this many hours before an unreviewed hold is released. 0: no email.",
    )

    class Meta:
        verbose_name = "clinic settings"
        verbose_name_plural = "clinic settings"
        # The role that may open /admin/ (the clinic's set-up).
        permissions = [("access_admin", "Can use the clinic admin (Django admin)")]
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="clinicsettings_single_row"),
            # A hold must last a while: it cannot end before it starts.
            models.CheckConstraint(condition=Q(hold_min_notice_hours__gt=F("hold_ends_before_hours")),
                                   name="clinicsettings_hold_notice_after_hold_end",
                                   violation_error_message="The minimum notice must be longer than the time a "
                                                           "hold ends before the appointment."),
        ]

    def __str__(self) -> str:
        return f"Clinic settings ({self.time_zone})"


class Treatment(models.Model):
    """A treatment a patient can ask for (face, scalp, body)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="treatment_duration_sensible",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RateLimitCounter(models.Model):
    """How many times one client did one thing in one time window.

    Kept in the database so every app server shares the same counts.
    ``key`` is a SHA-256 of the scope and the client's address or email.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_one_counter_per_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="ratelimit_window")]

    def __str__(self) -> str:
        return f"{self.count} since {self.window_start:%Y-%m-%d %H:%M}"
