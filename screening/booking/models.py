"""Practitioners, their opening hours, and bookings."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from screening.core.models import Location, Treatment
from screening.intake.models import Intake


class Practitioner(models.Model):
    """Someone who performs treatments, with their own calendar."""

    name = models.CharField(max_length=100)
    treatments = models.ManyToManyField(Treatment, related_name="practitioners", blank=True)
    # Where they see patients (their bookings are there). Empty only for rows made before locations
    # existed or in tests: such a practitioner counts only while the clinic has one location.
    location = models.ForeignKey(Location, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="practitioners")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WeeklyHours(models.Model):
    """A practitioner's regular opening hours on one weekday (their location's time)."""

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["practitioner", "weekday", "start"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="weeklyhours_start_before_end"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weeklyhours_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class ScheduleException(models.Model):
    """A day off (no hours at all) or extra hours on one date (their location's time)."""

    class Kind(models.TextChoices):
        CLOSED = "closed", "Closed all day"
        EXTRA = "extra", "Extra hours"

    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField()
    kind = models.CharField(max_length=6, choices=Kind.choices)
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="closed") | Q(start__isnull=False, end__isnull=False, start__lt=F("end")),
                name="scheduleexception_extra_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner}: {self.get_kind_display()} on {self.date}"


class BookingStatus(models.TextChoices):
    HELD = "held", "Held (provisional, awaiting review)"
    CONFIRMED = "confirmed", "Confirmed"
    CANCELLED = "cancelled", "Cancelled"
    RELEASED = "released", "Released"
    EXPIRED = "expired", "Hold expired"
    MOVED = "moved", "Moved to another time"
    # Marked by staff on the day (screening.courses.sessions): the session took place, or the patient did not come.
    COMPLETED = "completed", "Session done"
    NO_SHOW = "no_show", "Did not come"


ACTIVE_BOOKING_STATUSES = (BookingStatus.HELD, BookingStatus.CONFIRMED)
#: What became of an appointment whose time came: the staff's mark on the day.
SESSION_STATUSES = (BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


class Booking(models.Model):
    """A patient's appointment with a practitioner, held or confirmed."""

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="bookings")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="bookings")
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT)
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=BookingStatus.choices)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    # The patient's email, lower-cased, copied from the intake: on PostgreSQL
    # the exclusion constraint booking_patient_no_overlap keeps one patient
    # from holding two overlapping times across their intakes.
    patient_email = models.EmailField(blank=True)
    # When a patient moves a booking, the old row stays (status "moved") and
    # points at its replacement.
    moved_to = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="moved_from"
    )
    # A mobile number for reminders by text, given (with consent) when booking; empty: no texts.
    sms_phone = models.CharField(max_length=20, blank=True)
    # The appointment as the patient's calendar knows it: one UID kept across moves (the
    # replacement row copies it), and SEQUENCE raised on every change (screening.booking.ics).
    # Reminder tasks carry the sequence they were planned for; a later change makes them stale.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        # Staff booking, moving and cancelling for a patient (on the phone, at the desk): the same services.
        permissions = [("mark_session", "Can mark a session done or missed"),
                       ("book_for_patient", "Can book, move and cancel a patient's appointment for them")]
        indexes = [
            models.Index(fields=["practitioner", "start"], name="booking_practitioner_start"),
            models.Index(fields=["status", "hold_expires_at"], name="booking_status_hold"),
            # The staff queue's location filter (issue 17): the intakes booked with a location's
            # practitioners, read from the index alone (an active booking or a session done or missed).
            models.Index(fields=["practitioner", "intake"], name="booking_practitioner_intake",
                         condition=Q(status__in=["held", "confirmed", "completed", "no_show"])),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="booking_start_before_end"),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(hold_expires_at__isnull=False),
                name="booking_held_has_expiry",
            ),
            # One intake has at most one active booking.
            models.UniqueConstraint(
                fields=["intake"],
                condition=Q(status__in=["held", "confirmed"]),
                name="booking_one_active_per_intake",
            ),
            # The closest SQLite gets to "no overlap": no two active bookings
            # of a practitioner start at the same moment. On PostgreSQL the
            # exclusion constraint booking_no_overlap (migration) forbids
            # any overlap.
            models.UniqueConstraint(
                fields=["practitioner", "start"],
                condition=Q(status__in=["held", "confirmed"]),
                name="booking_unique_active_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practitioner} {self.start:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_BOOKING_STATUSES


class CalendarFeed(models.Model):
    """A practitioner's private calendar subscription: their appointments, for their own calendar app.

    The secret is in the link only; this row keeps its SHA-256 hash (as
    AccessLink does). A new link revokes the old one; a revoked link shows
    nothing. The feed names the treatment and the time, never the patient's health.
    """

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practitioner"], condition=Q(revoked_at__isnull=True),
                                    name="calendarfeed_one_live_per_practitioner"),
        ]

    def __str__(self) -> str:
        return f"Calendar link of {self.practitioner} ({'revoked' if self.revoked_at else 'live'})"
