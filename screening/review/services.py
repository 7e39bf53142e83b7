"""Clinicians' decisions on an intake, and re-screening one from its page.

Each public function is one transaction, and sets the intake's review state
(clear: cleared, decline: declined, ask: waiting for the patient; a
re-screen through its new screening). Before deciding it locks the intake
row and re-reads: two clinicians deciding at once are served one after the
other, and the second is told what the first did. The decision names the
screening the clinician read; if the patient's answers or booking changed
since, the decision is refused rather than applied to something unseen. A
partial unique constraint (one clear or decline per screening) is the
backstop. Emails leave after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.errors import BookingError
from screening.booking.models import Booking, BookingStatus
from screening.booking.services import booking_confirm_held, booking_release_held
from screening.core.clinic import clinic_zone
from screening.intake.links import link_issue
from screening.intake.models import AccessLink, Intake, PatientQuestion, ReviewState, Screening
from screening.questionnaire.models import Outcome
from screening.review import emails
from screening.review.models import FINAL_DECISION_KINDS, DecisionKind, DeclineReason, IntakeDecision
from screening.review.permissions import can_decide, can_rescreen
from screening.review.rescreen import intakes_rescreen

QUESTION_MAX_LENGTH = 1000

ERROR_MESSAGES: dict[str, str] = {
    "forbidden": "Only clinicians can clear, decline or question an intake.",
    "forbidden_rescreen": "Only clinicians and clinic admins can re-screen an intake.",
    "not_submitted": "This intake has not been sent by the patient yet.",
    "already_decided": "{who} {what} this intake at {when}. Nothing more was changed.",
    "changed": (
        "The patient's answers or booking changed while you were reading (screened again at {when}). "
        "Please read the intake again before deciding."
    ),
    "nothing_to_decide": "This intake is not waiting for a decision: no review is due and no time is held.",
    "cannot_clear": (
        "The screening says this treatment is not suitable (or answers are missing): it can only be declined."
    ),
    "already_asked": "The patient was asked a question at {when} and has not answered yet.",
    "note_required": "Please write a note saying why you are clearing this intake.",
    "reason_required": "Please choose what the patient is told.",
    "question_required": "Please write the question for the patient (up to 1000 characters).",
}


class DecisionError(Exception):
    """A decision that was not applied, with a message staff (or the patient) can read.

    ``decision`` is the decision that got there first, for "already decided".
    """

    def __init__(self, code: str, *, decision: IntakeDecision | None = None, when: datetime | None = None):
        self.code = code
        self.decision = decision
        params = {"when": _clock(when), "who": "Someone", "what": "decided on"}
        if decision is not None:
            params.update(
                who=decision.decided_by.get_username(),
                what=decision.get_kind_display().lower(),
                when=_clock(decision.decided_at),
            )
        self.message = ERROR_MESSAGES[code].format(**params)
        super().__init__(self.message)


def _clock(moment: datetime | None) -> str:
    if moment is None:
        return "an earlier time"
    local = moment.astimezone(clinic_zone())
    return f"{local:%H:%M} on {local.day} {local:%B}"


# --- the three decisions ---------------------------------------------------------


def intake_clear(*, intake_id: int, screening_id: int, by: Actor, note: str, patient_instructions: str = "",
                 now: datetime | None = None) -> IntakeDecision:
    """Clear a reviewed intake: it may book, and its held booking is confirmed.

    ``patient_instructions`` (optional) are shown on the patient's pages; the
    email says only that there are some, with a link.

    A hold that has already run out cannot be confirmed (the time was offered
    to others); the intake is still cleared, and the patient is asked to
    choose a new time.
    """
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise DecisionError("note_required")
    with transaction.atomic():
        intake, screening = _lock_for_decision(intake_id, screening_id, by)
        if intake.outcome in (Outcome.NOT_SUITABLE, Outcome.INCOMPLETE):
            raise DecisionError("cannot_clear")
        decision = _record(intake, screening, by, now, kind=DecisionKind.CLEAR, note=note)
        today = now.astimezone(clinic_zone()).date()
        deferred = intake.eligible_from is not None and intake.eligible_from > today
        intake.outcome = Outcome.DEFERRED if deferred else Outcome.ELIGIBLE
        intake.review_state = ReviewState.CLEARED
        intake.patient_instructions = (patient_instructions or "").strip()
        intake.save(update_fields=["outcome", "review_state", "patient_instructions", "updated_at"])

        held = _held_booking(intake)
        confirmed, hold_lapsed = None, False
        if held is not None:
            try:
                confirmed = booking_confirm_held(booking_id=held.pk, now=now, actor=by)
            except BookingError as error:
                # "not_held": cancelled by the patient (or expired) a moment ago.
                if error.code not in ("hold_expired", "not_held"):
                    raise
                hold_lapsed = error.code == "hold_expired"
        audit_log(action=AuditAction.INTAKE_CLEARED, actor=by, target=decision, intake_id=intake.pk)
        token = None if confirmed else link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
        if confirmed and intake.patient_instructions:  # the instructions are read behind a link, on the booking page
            token = link_issue(intake=intake, purpose=AccessLink.Purpose.MANAGE)
        emails.queue_decision_email(intake, "cleared", token=token, booking=confirmed, hold_lapsed=hold_lapsed)
        return decision


def intake_decline(*, intake_id: int, screening_id: int, by: Actor, reason: str, note: str = "",
                   now: datetime | None = None) -> IntakeDecision:
    """Decline an intake: it cannot book, its held time is released, the patient is told kindly."""
    now = now or timezone.now()
    if reason not in DeclineReason.values:
        raise DecisionError("reason_required")
    with transaction.atomic():
        intake, screening = _lock_for_decision(intake_id, screening_id, by)
        decision = _record(intake, screening, by, now, kind=DecisionKind.DECLINE,
                           note=(note or "").strip(), decline_reason=reason)
        intake.outcome = Outcome.NOT_SUITABLE
        intake.review_state = ReviewState.DECLINED
        intake.save(update_fields=["outcome", "review_state", "updated_at"])
        held = _held_booking(intake)
        if held is not None:
            try:
                # The decline email says the time is released; no second email.
                booking_release_held(booking_id=held.pk, now=now, notify=False, actor=by)
            except BookingError as error:
                if error.code != "not_held":
                    raise
                held = None  # cancelled by the patient (or expired) a moment ago
        audit_log(action=AuditAction.INTAKE_DECLINED, actor=by, target=decision, intake_id=intake.pk)
        emails.queue_decision_email(intake, "declined", booking=held, decline_reason=reason)
        return decision


def intake_ask(*, intake_id: int, screening_id: int, by: Actor, question: str,
               now: datetime | None = None) -> PatientQuestion:
    """Ask the patient a question; they answer by updating their answers through an emailed link."""
    now = now or timezone.now()
    text = (question or "").strip()
    if not text or len(text) > QUESTION_MAX_LENGTH:
        raise DecisionError("question_required")
    with transaction.atomic():
        intake, screening = _lock_for_decision(intake_id, screening_id, by)
        open_question = _open_question(intake)
        if open_question is not None:
            # The same question again (a second tap) carries the decision that asked it, so the view can tell.
            same = open_question.text == text
            first = IntakeDecision.objects.filter(question=open_question).first() if same else None
            raise DecisionError("already_asked", when=open_question.asked_at, decision=first)
        try:
            with transaction.atomic():
                asked = PatientQuestion.objects.create(intake=intake, text=text, asked_at=now)
        except IntegrityError:  # patientquestion_one_open_per_intake: only without the lock
            raise DecisionError("already_asked") from None
        decision = _record(intake, screening, by, now, kind=DecisionKind.ASK, question=asked)
        intake.review_state = ReviewState.WAITING
        intake.save(update_fields=["review_state", "updated_at"])
        token = link_issue(intake=intake, purpose=AccessLink.Purpose.UPDATE)
        audit_log(action=AuditAction.INTAKE_ASKED, actor=by, target=decision, intake_id=intake.pk)
        emails.queue_decision_email(intake, "asked", token=token, booking=_held_booking(intake))
        return asked


# --- re-screening one intake --------------------------------------------------------


@dataclass(frozen=True)
class RescreenResult:
    """What a re-screen from the intake page did."""

    before: str = ""  # the outcome before, and after (equal when unchanged)
    after: str = ""
    skipped: str = ""  # why nothing was re-screened: a decision made, or not submitted
    already: bool = False  # the screening read had been replaced already: a double submit, or someone else


def intake_rescreen(*, intake_id: int, screening_id: int, by: Actor) -> RescreenResult:
    """Re-screen one intake against the current rules, from its staff page: a new screening beside the old.

    The work is ``screening.review.rescreen.intakes_rescreen`` (which records the
    screening and the audit line). The caller names the screening it read:
    if that is no longer the latest (a double submit, a colleague's
    re-screen, the patient's new answers), nothing is re-screened again.
    """
    if not can_rescreen(by.user):
        raise DecisionError("forbidden_rescreen")
    with transaction.atomic():
        intake = _lock_intake(intake_id)
        latest = intake.screenings.order_by("-created_at", "-id").first()
        if latest is None or latest.pk != screening_id:
            return RescreenResult(before=intake.outcome, after=intake.outcome, already=True)
        report = intakes_rescreen(intake_ids=[intake.pk], by=by)
        for _intake, before, after in report.rescreened:
            return RescreenResult(before=before, after=after)
        why = next((why for _intake, why in report.skipped), "not pending")
        return RescreenResult(before=intake.outcome, after=intake.outcome, skipped=why)


# --- shared steps ------------------------------------------------------------------


def _lock_intake(intake_id: int) -> Intake:
    """Lock the intake row: decisions on one intake happen one at a time."""
    return Intake.objects.select_for_update().select_related("treatment").get(pk=intake_id)


def _lock_for_decision(intake_id: int, screening_id: int, by: Actor) -> tuple[Intake, Screening]:
    """Lock, re-read, and refuse unless the screening the clinician read still awaits a decision."""
    if not can_decide(by.user):
        raise DecisionError("forbidden")
    intake = _lock_intake(intake_id)
    if not intake.is_submitted:
        raise DecisionError("not_submitted")
    latest = intake.screenings.order_by("-created_at", "-id").first()
    final = _final_decision(latest)
    if final is not None:
        raise DecisionError("already_decided", decision=final)
    if latest is None or latest.pk != screening_id:
        read = Screening.objects.filter(pk=screening_id, intake_id=intake.pk).first()
        earlier = _final_decision(read)
        if earlier is not None:
            raise DecisionError("already_decided", decision=earlier)
        raise DecisionError("changed", when=latest.created_at if latest else None)
    if intake.review_state not in (ReviewState.NEEDS_REVIEW, ReviewState.WAITING):
        raise DecisionError("nothing_to_decide")
    return intake, latest


def _final_decision(screening: Screening | None) -> IntakeDecision | None:
    if screening is None:
        return None
    return (
        IntakeDecision.objects.select_related("decided_by")
        .filter(screening=screening, kind__in=FINAL_DECISION_KINDS)
        .first()
    )


def _record(intake: Intake, screening: Screening, by: Actor, now: datetime, *, kind: str,
            note: str = "", decline_reason: str = "", question: PatientQuestion | None = None) -> IntakeDecision:
    """Write the decision; the database refuses a second final one for the screening."""
    decision = IntakeDecision(intake=intake, screening=screening, kind=kind, note=note,
                              decline_reason=decline_reason, decided_by=by.user, decided_at=now,
                              question=question)
    try:
        with transaction.atomic():
            decision.save(force_insert=True)
    except IntegrityError:
        raise DecisionError("already_decided", decision=_final_decision(screening)) from None
    if kind in FINAL_DECISION_KINDS:
        # A final decision answers any open question in the patient's stead.
        PatientQuestion.objects.filter(
            intake=intake, answered_at__isnull=True, closed_at__isnull=True
        ).update(closed_at=now)
    return decision


def _held_booking(intake: Intake) -> Booking | None:
    return (
        Booking.objects.select_related("practitioner")
        .filter(intake=intake, status=BookingStatus.HELD)
        .first()
    )


def _open_question(intake: Intake) -> PatientQuestion | None:
    return PatientQuestion.objects.filter(intake=intake, answered_at__isnull=True, closed_at__isnull=True).first()
