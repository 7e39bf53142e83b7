"""The pre-visit health check: the answers that can change, asked again and screened for the appointment's date.

A clinic-set time before each confirmed appointment the patient is sent a
link (screening.booking.timers plans it; it moves with the booking and is
dropped when it ends). Their answers are laid over the intake's last
answers, screened with the full rule set for the appointment's date and
stored as a Screening (reason "recheck") with its flags: the snapshot that
decided. Then:

- nothing new: the booking stands;
- a date the rules now put off: the patient is shown the first allowed
  dates, and the slot is released when they pick one (a move);
- a new reason to review (a review flag no clinician has cleared before, or
  a missing answer): the booking is put on hold until a clinician looks,
  and the intake joins the queue;
- a new reason it is not suitable: the appointment is cancelled, kindly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking import emails
from screening.booking.lifecycle import audit_booking
from screening.booking.models import Booking, BookingStatus
from screening.booking.timers import timers_drop, timers_plan
from screening.core.clinic import booking_zone, contact_context
from screening.core.language import language_override
from screening.core.wordings import treatment_words
from screening.courses.sessions import lock_booking
from screening.intake.models import Flag, Intake, Screening
from screening.intake.review import intake_review_state_refresh
from screening.intake.screenings import record_screening
from screening.outbox.models import MessageKind
from screening.outbox.services import message_queue
from screening.questionnaire.models import Outcome, Question
from screening.questionnaire.selectors import Questionnaire, live_questionnaire
from screening.rules import screen_answers

KEPT, HELD, MOVE, CANCELLED = "kept", "held", "move", "cancelled"


class RecheckError(Exception):
    """A check that cannot be taken; the message is safe to show to the patient."""


@dataclass(frozen=True)
class Rechecked:
    """What the check decided: KEPT, HELD, MOVE (from ``earliest``) or CANCELLED."""

    booking: Booking
    screening: Screening
    decision: str
    earliest: date | None = None


def recheck_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questions the check asks: those the clinic marked "asked again", in the questionnaire's order, then
    those only the check asks ("anything else changed?")."""
    return [q for step in questionnaire.steps for q in step.questions.all() if q.asked_again and q.active] + [
        q for q in questionnaire.between_visits if q.asked_again]


def recheck_initial(questionnaire: Questionnaire, answers: dict) -> dict:
    """What the check's form starts from: the last answers, but "anything else changed?" empty, as it is
    about this visit only (last time's words would otherwise be sent, and looked at, again)."""
    fresh = {q.code for q in questionnaire.between_visits}
    return {code: value for code, value in answers.items() if code not in fresh}


def recheck_submit(*, booking_id: int, answers: dict, hidden: Sequence[str] = (), actor: Actor | None = None,
                   now: datetime | None = None) -> Rechecked:
    """Screen the patient's check for the appointment's date and act on what is new; one transaction, audited."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = lock_booking(booking_id)
        if booking is None or booking.status != BookingStatus.CONFIRMED or booking.start <= now:
            raise RecheckError(_("There is no appointment waiting for this check: it may have been moved, "
                                 "cancelled or already taken place."))
        intake = booking.intake
        merged = {**intake.answers, **answers}
        for code in hidden:
            merged.pop(code, None)
        tz = booking_zone(booking)  # the appointment's day is its location's
        day = booking.start.astimezone(tz).date()
        questions, rule_specs = live_questionnaire().rule_data
        result = screen_answers(merged, rules=rule_specs, questions=questions, treatment=booking.treatment.code,
                                on_date=day, today=now.astimezone(tz).date())
        seen = review_codes_seen(intake)
        intake.answers = merged
        intake.save(update_fields=["answers", "updated_at"])
        screening = record_screening(intake, result, reason=Screening.Reason.RECHECK, on_date=day, answers=merged)
        audit_log(action=AuditAction.RECHECK_ANSWERED, actor=actor, target=screening, intake_id=intake.pk,
                  detail=f"booking {booking.pk}: {result.outcome}")
        if result.outcome == Outcome.NOT_SUITABLE:
            _mirror(intake, result.outcome, result.eligible_from)
            _cancel(booking, now=now, actor=actor, tz=tz)
            return Rechecked(booking, screening, CANCELLED)
        if result.eligible_from and result.eligible_from > day:
            _mirror(intake, Outcome.DEFERRED, result.eligible_from)
            return Rechecked(booking, screening, MOVE, earliest=result.eligible_from)
        new_review = {f.rule for f in result.flags if f.severity == "review"} - seen
        if result.outcome == Outcome.INCOMPLETE or new_review:
            _mirror(intake, Outcome.REVIEW, intake.eligible_from)
            _hold(booking, now=now, actor=actor, tz=tz)
            return Rechecked(booking, screening, HELD)
        return Rechecked(booking, screening, KEPT)


def review_codes_seen(intake: Intake) -> set[str]:
    """Review flags that need no clinician again: those of the intake's own screening, and those a clinician cleared.

    The decisions are the review app's, read through the reverse relation it declares on the screening.
    """
    own = (intake.screenings.exclude(reason__in=[Screening.Reason.BOOKING, Screening.Reason.RECHECK])
           .order_by("-created_at", "-id").values("pk")[:1])
    flags = Flag.objects.filter(screening__intake=intake, severity="review")
    return set(flags.filter(screening__in=own).values_list("rule_code", flat=True)) | set(
        flags.filter(screening__decisions__kind="clear").values_list("rule_code", flat=True))


def _mirror(intake: Intake, outcome: str, eligible_from: date | None) -> None:
    """The intake's outcome follows the check that changed it; its review state follows that."""
    intake.outcome = outcome
    intake.eligible_from = eligible_from
    intake.save(update_fields=["outcome", "eligible_from", "updated_at"])
    intake_review_state_refresh(intake)


def _hold(booking: Booking, *, now: datetime, actor: Actor | None, tz) -> None:
    """On hold until a clinician looks; released at its start if nobody has (the hold's timer)."""
    booking.status = BookingStatus.HELD
    booking.hold_expires_at = booking.start
    booking.sequence += 1
    booking.save(update_fields=["status", "hold_expires_at", "sequence", "updated_at"])
    audit_booking(booking, AuditAction.BOOKING_CHANGED, actor, status=f"{booking.status} after the re-check")
    intake_review_state_refresh(booking.intake)
    timers_drop(booking)
    timers_plan(booking, now=now)
    emails.queue_booking_email(booking, "held", tz=tz, now=now)


def _cancel(booking: Booking, *, now: datetime, actor: Actor | None, tz) -> None:
    """The appointment cannot go ahead: ended, and the patient told kindly why and what next."""
    booking.status = BookingStatus.CANCELLED
    booking.ended_at = now
    booking.sequence += 1
    booking.save(update_fields=["status", "ended_at", "sequence", "updated_at"])
    audit_booking(booking, AuditAction.BOOKING_CHANGED, actor, status=f"{booking.status} after the re-check")
    intake_review_state_refresh(booking.intake)
    timers_drop(booking)
    recipient = booking.patient_email or booking.intake.email
    if not recipient:
        return
    with language_override(booking.intake.language):
        context = {"first_name": booking.intake.first_name, "when": emails.when_text(booking.start, booking.end, tz),
                   "treatment": treatment_words(booking.treatment).name, **contact_context()}
        message_queue(kind=MessageKind.RECHECK_CANCELLED, recipient=recipient,
                      subject=_("About your appointment: we cannot go ahead this time"),
                      body=render_to_string("courses/emails/recheck_cancelled.txt", context),
                      intake_id=booking.intake_id, booking_id=booking.pk)
