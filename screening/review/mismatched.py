"""Bookings that no longer match their screening: booked, then the answers were screened again.

A booking was checked when it was made (screening.booking.services re-screens
for its date). A later screening of the patient's answers (a clinician's
re-screen, changed answers) can say otherwise: not suitable, incomplete, or
eligible only from a date after the appointment. The front desk sees these
and can cancel them, the patient told kindly (``booking_cancel(by_clinic=True)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from screening.audit.log import audit_log
from screening.audit.models import AuditAction
from screening.booking.lifecycle import booking_cancel
from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking
from screening.core.clinic import booking_zone, clinic_zone, zone_note
from screening.intake.selectors import answer_screenings
from screening.questionnaire.models import Outcome

LIMIT = 200
NOT_BOOKABLE = (Outcome.NOT_SUITABLE, Outcome.INCOMPLETE)


@dataclass(frozen=True)
class Mismatch:
    booking: Booking
    outcome: str  # the latest screening's
    eligible_from: object  # a date, or None
    screened_at: datetime

    @property
    def reason(self) -> str:
        if self.outcome == Outcome.NOT_SUITABLE:
            return "The latest screening says not suitable."
        if self.outcome == Outcome.INCOMPLETE:
            return "The latest screening is missing answers."
        return f"The latest screening allows the treatment only from {self.eligible_from:%-d %B %Y}."


def mismatched_bookings(*, now: datetime | None = None, booking_id: int | None = None) -> list[Mismatch]:
    """Upcoming held or confirmed bookings whose intake's latest screening (not a booking's own date check)
    no longer allows them, soonest first."""
    now = now or timezone.now()
    latest = answer_screenings(OuterRef("intake_id"))
    rows = (
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES, start__gt=now)
        .annotate(latest_outcome=Subquery(latest.values("outcome")[:1]),
                  latest_eligible_from=Subquery(latest.values("eligible_from")[:1]),
                  latest_at=Subquery(latest.values("created_at")[:1]))
        .filter(Q(latest_outcome__in=NOT_BOOKABLE) | Q(latest_eligible_from__isnull=False))
        .filter(Q(pk=booking_id) if booking_id is not None else Q())
        .select_related("intake", "practitioner__location", "treatment")
        .order_by("start", "pk")
    )
    tz = clinic_zone()
    found = []
    for booking in rows[:LIMIT]:
        booking.zone = booking_zone(booking, default=tz)  # shown in its location's zone, named if not the clinic's
        booking.zone_note = zone_note(booking.zone, tz)
        day = booking.start.astimezone(booking.zone).date()  # the appointment's day, where it is
        late = booking.latest_eligible_from and booking.latest_eligible_from > day
        if booking.latest_outcome in NOT_BOOKABLE or late:
            found.append(Mismatch(booking, booking.latest_outcome, booking.latest_eligible_from, booking.latest_at))
    return found


class MismatchError(Exception):
    """The booking matches its screening (again), or is gone: nothing to cancel."""


def booking_cancel_mismatched(*, booking_id: int, actor, now: datetime | None = None) -> Booking:
    """Cancel a booking that no longer matches its screening, and tell the patient kindly (staff; audited).

    Checked again inside the transaction: a booking that matches now (the
    patient changed their answers back, a clinician cleared them) is not cancelled.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Booking.objects.select_for_update(of=("self",)).filter(pk=booking_id).first()
        if not any(m.booking.pk == booking_id for m in mismatched_bookings(now=now, booking_id=booking_id)):
            raise MismatchError("This booking matches the patient's screening now, or is no longer booked.")
        booking = booking_cancel(booking_id=booking_id, now=now, actor=actor, by_clinic=True)
        audit_log(action=AuditAction.BOOKING_CHANGED, actor=actor, target=booking, intake_id=booking.intake_id,
                  detail="cancelled by the clinic: no longer matches the screening; the patient was told")
    return booking
