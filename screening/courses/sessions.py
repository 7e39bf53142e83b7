"""The day of the session: staff mark it done or missed, and a course counts its sessions done.

A session done is what counts the course and starts what follows it (the
aftercare follow-up); a session missed ends the booking without either.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from screening.audit.log import Actor
from screening.audit.models import AuditAction
from screening.booking.lifecycle import audit_booking
from screening.booking.models import SESSION_STATUSES, Booking, BookingStatus
from screening.booking.timers import timers_drop
from screening.core.clinic import booking_zone
from screening.courses.follow_up import follow_up_start
from screening.intake.models import Intake


class SessionError(Exception):
    """A refused mark; the message is safe to show to staff."""


def session_mark(*, booking_id: int, status: str, by: Actor, now: datetime | None = None) -> Booking:
    """Mark a confirmed appointment of today or earlier as done or missed; audited.

    The same mark twice (a double tap, two people at the desk) is a no-op; a
    different mark on a session already marked is refused: it happened, and
    the audit trail says who said so. The booking's remaining timers (its
    reminders) are dropped, as for any booking that ends. A session done
    starts the aftercare follow-up (screening.courses.follow_up).
    """
    if status not in SESSION_STATUSES:
        raise SessionError("Choose whether the session took place or the patient did not come.")
    now = now or timezone.now()
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking is None:
            raise SessionError("There is no such appointment.")
        if booking.status == status:
            return booking
        if booking.status != BookingStatus.CONFIRMED:
            raise SessionError(f"This appointment is {booking.get_status_display().lower()}: it cannot be marked.")
        tz = booking_zone(booking)  # the appointment's day is its location's
        if booking.start.astimezone(tz).date() > now.astimezone(tz).date():
            raise SessionError("This appointment is on a later day: mark it on the day.")
        booking.status = status
        booking.ended_at = now
        booking.sequence += 1
        booking.save(update_fields=["status", "ended_at", "sequence", "updated_at"])
        audit_booking(booking, AuditAction.BOOKING_CHANGED, by, status=status)
        timers_drop(booking)
        if status == BookingStatus.COMPLETED:
            follow_up_start(booking, now=now)
        return booking


def sessions_done(*, patient_id: int, treatment_id: int | None = None) -> int:
    """How many sessions of the course the patient has had (all treatments, or one)."""
    done = Booking.objects.filter(intake__patient_id=patient_id, status=BookingStatus.COMPLETED)
    if treatment_id is not None:
        done = done.filter(treatment_id=treatment_id)
    return done.count()


def lock_booking(booking_id: int) -> Booking | None:
    """The booking, locked after its intake (the order every booking write keeps)."""
    intake_id = Booking.objects.filter(pk=booking_id).values_list("intake_id", flat=True).first()
    if intake_id is None:
        return None
    intake = Intake.objects.select_for_update().get(pk=intake_id)
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    booking.intake = intake
    return booking
