"""Timers without cron: a hold's expiry, the clinicians' alert before it, the reminders and the pre-visit
health check: tasks on the worker's queue.

Planned in the transaction that makes the booking (or confirms, or moves
it), so they exist only if it commits. Every task carries the booking's
``sequence`` at planning time: a booking changed since (moved, cancelled,
confirmed) has a higher sequence, and the task finds itself stale and does
nothing. A change also drops the changed booking's planned reminders from
the queue, so what is waiting is what will happen. ``manage.py
expire_holds`` stays as a safety sweep for holds.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django_tasks_db.models import DBTaskResult

from screening.booking.models import Booking, BookingStatus
from screening.core.clinic import clinic_profile
from screening.core.models import parse_reminder_hours


def timers_plan(booking: Booking, *, now: datetime) -> None:
    """Plan what must happen later for this booking: its hold's expiry and alert, or its reminders and health check."""
    from screening.booking.tasks import (
        booking_alert_hold_lapsing,
        booking_expire_hold,
        booking_send_recheck,
        booking_send_reminder,
    )

    if booking.status == BookingStatus.HELD and booking.hold_expires_at:
        booking_expire_hold.using(run_after=booking.hold_expires_at).enqueue(
            booking_id=booking.pk, sequence=booking.sequence)
        alert_before = timedelta(hours=clinic_profile().hold_alert_hours)
        if alert_before:
            booking_alert_hold_lapsing.using(run_after=max(now, booking.hold_expires_at - alert_before)).enqueue(
                booking_id=booking.pk, sequence=booking.sequence)
    if booking.status != BookingStatus.CONFIRMED:
        return
    for hours in reminder_hours():
        at = booking.start - timedelta(hours=hours)
        if at > now:
            booking_send_reminder.using(run_after=at).enqueue(
                booking_id=booking.pk, sequence=booking.sequence, hours_before=hours)
    at = recheck_at(booking)
    if at > now:  # a booking made inside the window was screened for its date just now
        booking_send_recheck.using(run_after=at).enqueue(booking_id=booking.pk, sequence=booking.sequence)


def recheck_at(booking: Booking) -> datetime:
    """When the patient is sent the short health check for this appointment (the clinic's hours before it)."""
    return booking.start - timedelta(hours=clinic_profile().recheck_hours)


def timers_drop(booking: Booking) -> int:
    """Take the booking's planned, not yet started, tasks off the queue; returns how many."""
    from screening.booking.tasks import (
        booking_alert_hold_lapsing,
        booking_expire_hold,
        booking_send_recheck,
        booking_send_reminder,
    )

    deleted, _ = DBTaskResult.objects.filter(
        status="READY",
        task_path__in=[booking_expire_hold.module_path, booking_send_reminder.module_path,
                       booking_send_recheck.module_path, booking_alert_hold_lapsing.module_path],
        args_kwargs__kwargs__booking_id=booking.pk,
    ).delete()
    return deleted


def reminder_hours() -> list[int]:
    try:
        return parse_reminder_hours(clinic_profile().reminder_hours)
    except ValueError:  # refused by the admin form; a row written some other way sends none
        return []
