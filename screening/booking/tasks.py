"""The booking's tasks, run by the worker at their planned time (screening.booking.timers)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from screening.booking import emails
from screening.booking.lifecycle import expire_stale_holds
from screening.booking.models import Booking, BookingStatus


@task()
def booking_expire_hold(booking_id: int, sequence: int) -> str:
    """The hold's time is up: release the slot and tell the patient (unless the booking changed since)."""
    now = timezone.now()
    with transaction.atomic():
        expired = expire_stale_holds(Q(pk=booking_id, sequence=sequence), now=now)
    return "expired" if expired else "nothing to do"


def _confirmed_as_planned(booking_id: int, sequence: int, *, now) -> Booking | None:
    """The booking, locked, if it is still the confirmed, future appointment a timer was planned for."""
    booking = (Booking.objects.select_for_update(of=("self",))
               .select_related("intake", "practitioner", "treatment").filter(pk=booking_id).first())
    if (booking is None or booking.status != BookingStatus.CONFIRMED or booking.sequence != sequence
            or booking.start <= now):
        return None
    return booking


@task()
def booking_send_reminder(booking_id: int, sequence: int, hours_before: int) -> str:
    """Remind the patient of a confirmed appointment, if it is still the one this reminder was planned for."""
    now = timezone.now()
    with transaction.atomic():
        booking = _confirmed_as_planned(booking_id, sequence, now=now)
        if booking is None:
            return "stale"
        emails.queue_reminder(booking, now=now)
    return "queued"


@task()
def booking_send_recheck(booking_id: int, sequence: int) -> str:
    """Send the short health check for a confirmed appointment, if it is still the one it was planned for."""
    now = timezone.now()
    with transaction.atomic():
        booking = _confirmed_as_planned(booking_id, sequence, now=now)
        if booking is None:
            return "stale"
        emails.queue_recheck(booking, now=now)
    return "queued"


@task()
def booking_alert_hold_lapsing(booking_id: int, sequence: int) -> str:
    """Tell the clinicians that a held time nobody decided is about to be released (unless it changed since).

    An email through the outbox rather than only a mark in the queue: a
    clinician who is not looking at the queue hears of it, and one that did
    not go shows to staff like any other. It names no patient and no health
    detail: the time, and a link to the intake behind the staff sign-in.
    """
    now = timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_related("intake").filter(pk=booking_id).first()
        if (booking is None or booking.status != BookingStatus.HELD or booking.sequence != sequence
                or booking.hold_expires_at is None or booking.hold_expires_at <= now):
            return "stale"
        sent = emails.queue_hold_lapsing_alert(booking)
    return f"{sent} clinicians told"
