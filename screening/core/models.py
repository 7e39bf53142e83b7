"""The clinic itself: its settings, locations, the treatments it offers, shared rate-limit counters."""

from __future__ import annotations

import calendar
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from screening.core.wording_models import ClinicWording, TreatmentWording

__all__ = ["ClinicSettings", "ClinicWording", "Location", "LocationHours", "RateLimitCounter", "Treatment",
           "TreatmentWording"]


def _default_time_zone() -> str:
    return settings.CLINIC_TIME_ZONE


def _default_clinic_name() -> str:
    return settings.CLINIC_NAME


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
    # Issue 17: the clinic's profile, shown wherever a patient needs to reach the clinic
    # (screening.core.clinic.clinic_contact reads it for every page, email and calendar file).
    name = models.CharField(
        max_length=100, default=_default_clinic_name,
        help_text="The clinic's name as patients see it: on their pages, as the sender of their emails.",
    )
    address = models.TextField(
        blank=True, help_text="The clinic's address, as patients should read it (reminders, calendar files)."
    )
    phone = models.CharField(max_length=40, blank=True, help_text="The phone number patients can call.")
    email = models.EmailField(blank=True, help_text="The address patients can write to.")
    reply_to = models.EmailField(
        blank=True, verbose_name="Reply-to address",
        help_text="Where patients' replies to the clinic's emails go. Empty: the address above.",
    )
    cancellation_text = models.TextField(
        blank=True, verbose_name="Cancellation policy",
        help_text="The clinic's cancellation policy in short; shown on the booking page and in the "
                  "confirmation email.",
    )
    reminder_hours = models.CharField(
        max_length=60,
        default="48, 3",
        validators=[validate_reminder_hours],
        help_text="When patients get a reminder, in hours before the appointment, e.g. \"48, 3\". Empty: no reminders.",
    )
    # How long the clinic keeps a form that never led to an appointment (see SECURITY.md, data retention).
    retention_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(1)],
        help_text="Days after which a form never sent, or sent but never booked, is erased.",
    )
    # Issue 14: the short health check before each appointment.
    recheck_hours = models.PositiveSmallIntegerField(
        default=48, validators=[MinValueValidator(1), MaxValueValidator(24 * 30)],
        verbose_name="Health check before a visit (hours)",
        help_text="How long before each appointment the patient is sent the short health check.",
    )
    pre_care_text = models.TextField(
        blank=True,
        default="Please avoid sunbathing and sunbeds for two weeks before, and come with clean skin, without make-up.",
        verbose_name="General pre-care",
        help_text="What every patient should do before a session; shown with their own dates on the booking page "
                  "and in the confirmation and reminder emails.",
    )
    aftercare_text = models.TextField(
        blank=True,
        default="For 48 hours: no make-up, no exercise that makes you sweat, no swimming; a gentle cleanser and "
                "moisturiser only, and sunscreen (SPF 30 or more) every day for two weeks.",
        verbose_name="Aftercare",
        help_text="What every patient should do after a session; emailed when the session is marked done.",
    )
    follow_up_days = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(30)],
        verbose_name="Skin check after a session (days)",
        help_text="How many days after a session the patient is asked how their skin is.",
    )
    full_intake_months = models.PositiveSmallIntegerField(
        default=6, validators=[MinValueValidator(1), MaxValueValidator(36)],
        verbose_name="Full form again after (months)",
        help_text="A returning patient books the next session with a short health update, until this long "
                  "after their last full form; then they fill in the whole form again.",
    )
    recheck_cutoff_hours = models.PositiveSmallIntegerField(
        default=12, validators=[MaxValueValidator(24 * 30)],
        verbose_name="Health check answered by (hours before)",
        help_text="An appointment whose check is not answered by this many hours before it shows as "
                  "\"not re-checked\" on the bookings page, for the front desk to ask in person.",
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
    """A treatment a patient can ask for (face, scalp, body), with what booking it takes."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    # Shown to patients as it is; empty: no price shown.
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0)], help_text="Shown to patients; empty: not shown.")
    buffer_minutes = models.PositiveSmallIntegerField(
        "buffer after (minutes)", default=0, validators=[MaxValueValidator(240)],
        help_text="Time kept free after each appointment (cleaning, notes).")
    min_notice_hours = models.PositiveSmallIntegerField(
        "minimum notice (hours)", default=0, validators=[MaxValueValidator(24 * 30)],
        help_text="A patient can book no sooner than this many hours from now.")
    max_days_ahead = models.PositiveSmallIntegerField(
        "furthest bookable day (days ahead)", default=90, validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days after their first bookable day a patient may book.")
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="treatment_duration_sensible",
            ),
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gte=0),
                                   name="treatment_price_not_negative"),
            models.CheckConstraint(condition=Q(buffer_minutes__lte=240), name="treatment_buffer_sensible"),
            models.CheckConstraint(condition=Q(min_notice_hours__lte=24 * 30), name="treatment_notice_sensible"),
            models.CheckConstraint(condition=Q(max_days_ahead__gte=1) & Q(max_days_ahead__lte=365),
                                   name="treatment_max_days_ahead_sensible"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A place where the clinic sees patients: its address, its opening hours, what it offers.

    Practitioners work at one location; a booking is at its practitioner's
    location. With one location the patient is never asked which.
    """

    name = models.CharField(max_length=100)
    address = models.TextField(blank=True, help_text="As patients should read it (confirmations, calendar files).")
    # Its opening hours, its practitioners' hours and closures, and its bookings' times are read in this zone
    # (screening.core.clinic.location_zone); bookings are stored in UTC.
    time_zone = models.CharField(max_length=64, default=_default_time_zone, validators=[validate_time_zone],
                                 help_text="An IANA time zone name, e.g. Europe/London.")
    treatments = models.ManyToManyField(Treatment, related_name="locations", blank=True,
                                        help_text="The treatments patients can book here.")
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class LocationHours(models.Model):
    """When a location is open on one weekday, in its own time zone. None: its practitioners' hours decide."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField()  # Monday 0
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["location", "weekday", "start"]
        verbose_name_plural = "location hours"
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="locationhours_start_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="locationhours_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.location}: day {self.weekday} {self.start:%H:%M}-{self.end:%H:%M}"

    @property
    def day_name(self) -> str:
        """"Mon" to "Sun" (the process's locale: Django never sets it, so English)."""
        return calendar.day_abbr[self.weekday]


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
