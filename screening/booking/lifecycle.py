"""Booking writes after a booking is made: the patient cancels; a hold is confirmed, released or expires.

As in screening.booking.services, each public function is one transaction
that locks before deciding: the intake first, then the booking. A hold that
ends changes the intake's review state, which is set again in the same
transaction. Emails go to the outbox in the same transaction; the worker
sends them. Every change raises the booking's ``sequence`` (its calendar
file's SEQUENCE) and re-plans its timers (``screening.booking.timers``).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking import emails
from screening.booking.errors import BookingError, atomic_keeping_refusals
from screening.booking.ics import CANCEL
from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking, BookingStatus
from screening.booking.timers import timers_drop, timers_plan
from screening.intake.models import Intake
from screening.intake.review import intake_review_state_refresh


def booking_cancel(*, booking_id: int, now: datetime | None = None, actor: Actor | None = None,
                   by_clinic: bool = False) -> Booking:
    """Cancel an active booking; the time is free again at once.

    The patient's choice (online, or told to the front desk), or, ``by_clinic``, the clinic's: the booking no
    longer matches the patient's screening, and the email says so kindly.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock_booking(booking_id)
        if booking is None or booking.status not in ACTIVE_BOOKING_STATUSES:
            raise BookingError("no_booking")
        if booking.start <= now:
            raise BookingError("past")
        # The patient's calendar has this appointment if it was ever confirmed (or moved here).
        in_calendar = booking.status == BookingStatus.CONFIRMED or booking.sequence > 0
        _end(booking, BookingStatus.CANCELLED, now=now, actor=actor)
        emails.queue_booking_email(booking, "cancelled_by_clinic" if by_clinic else "cancelled", now=now,
                                   calendar=CANCEL if in_calendar else None)
        return booking


def booking_confirm_held(*, booking_id: int, now: datetime | None = None, actor: Actor | None = None) -> Booking:
    """A clinician cleared the intake: its held booking becomes confirmed.

    A hold past its expiry cannot be confirmed (the slot picker has already
    offered that time to others); it is marked expired instead.
    """
    now = now or timezone.now()

    def work() -> Booking:
        booking = _lock_booking(booking_id)
        if booking is None or booking.status != BookingStatus.HELD:
            raise BookingError("not_held")
        if booking.hold_expires_at <= now:
            _end(booking, BookingStatus.EXPIRED, now=now, actor=Actor())  # expired: the clock, not the clinician
            emails.queue_booking_email(booking, "expired", now=now)
            raise BookingError("hold_expired")
        booking.status = BookingStatus.CONFIRMED
        booking.hold_expires_at = None
        booking.sequence += 1
        booking.save(update_fields=["status", "hold_expires_at", "sequence", "updated_at"])
        audit_booking(booking, AuditAction.BOOKING_CHANGED, actor, status=booking.status)
        intake_review_state_refresh(booking.intake)
        timers_drop(booking)
        timers_plan(booking, now=now)
        emails.queue_booking_email(booking, "confirmed", now=now)
        return booking

    return atomic_keeping_refusals(work)


def booking_release_held(*, booking_id: int, now: datetime | None = None, notify: bool = True,
                         actor: Actor | None = None) -> Booking:
    """A clinician declined the intake: its held booking is released.

    ``notify=False`` when the caller tells the patient itself (with the
    clinician's reason).
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock_booking(booking_id)
        if booking is None or booking.status != BookingStatus.HELD:
            raise BookingError("not_held")
        _end(booking, BookingStatus.RELEASED, now=now, actor=actor)
        if notify:
            emails.queue_booking_email(booking, "released", now=now)
        return booking


def bookings_expire_holds(*, now: datetime | None = None) -> int:
    """Mark every hold past its expiry as expired (the safety sweep behind each hold's own timer)."""
    now = now or timezone.now()
    with transaction.atomic():
        return expire_stale_holds(Q(), now=now)


def expire_stale_holds(where: Q, *, now: datetime) -> int:
    """Expire held bookings past their expiry that match ``where``; tell their patients.

    An expiry is the clock's doing, whoever's request found it: its audit
    line is the system's, not the actor of the request that swept it.

    Their intakes are locked first, then the bookings. Rows another
    transaction holds are skipped, not waited for: it is deciding about
    them right now.
    """
    stale = Booking.objects.filter(where, status=BookingStatus.HELD, hold_expires_at__lte=now)
    intakes = {intake.pk: intake for intake in Intake.objects.select_for_update(skip_locked=True)
               .filter(pk__in=stale.values("intake_id")).order_by("pk")}
    if not intakes:
        return 0
    expired = list(stale.select_for_update(skip_locked=True).filter(intake_id__in=list(intakes)).order_by("pk"))
    for booking in expired:
        booking.intake = intakes[booking.intake_id]
        _end(booking, BookingStatus.EXPIRED, now=now, actor=Actor())
        emails.queue_booking_email(booking, "expired", now=now)
    return len(expired)


def _lock_booking(booking_id: int) -> Booking | None:
    """The booking, locked after its intake (so as never to wait in a circle with a clinician's decision)."""
    intake_id = Booking.objects.filter(pk=booking_id).values_list("intake_id", flat=True).first()
    if intake_id is None:
        return None
    intake = Intake.objects.select_for_update().get(pk=intake_id)
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    booking.intake = intake
    return booking


def _end(booking: Booking, status: str, *, now: datetime, actor: Actor | None) -> None:
    """End an active booking (its intake locked by the caller); a hold that ends changes the review state."""
    was_held = booking.status == BookingStatus.HELD
    booking.status = status
    booking.ended_at = now
    booking.sequence += 1
    booking.save(update_fields=["status", "ended_at", "sequence", "updated_at"])
    audit_booking(booking, AuditAction.BOOKING_CHANGED, actor, status=status)
    timers_drop(booking)
    if was_held:
        intake_review_state_refresh(booking.intake)


def audit_booking(booking: Booking, action: str, actor: Actor | None, *, status: str) -> None:
    """The booking's line in the audit trail, in the transaction that changed it."""
    audit_log(action=action, actor=actor, target=booking, intake_id=booking.intake_id, detail=f"status: {status}")
