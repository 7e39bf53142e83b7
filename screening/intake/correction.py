""""I answered something by mistake": the patient corrects a sent form and sends it again.

The answers reopen on one page (the questionnaire's steps a patient may
change, filled with what they sent); sending them records a NEW screening
beside the old one (``Screening.Reason.CORRECTED``), never over it, and an
audit line. Staff see both on the intake's page.

When it is not offered, and why (``correction_refusal``):

- a time is held or an appointment confirmed: changing an answer under a
  booking would leave it standing on answers nobody screened for its date, or
  undo it without the front desk knowing; the patient is shown the clinic's
  contact details instead, and the clinic changes the answer with them;
- a clinician's question is open: the page that answers it already lets the
  patient change their answers, and sends them to that clinician;
- the form was never sent, or it was erased (no answers are left).

A form a clinician had already cleared or declined goes back to review:
the clinician decided on the answers they saw, so a correction that the
rules alone would let through (eligible, or eligible from a date) gets a
review flag of its own (``CORRECTED_AFTER_DECISION``) and the intake waits
for a clinician again; a correction that makes it "not suitable" stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening import rules
from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.core.clinic import clinic_today
from screening.intake.models import Intake, PatientQuestion, Screening
from screening.intake.review import FINAL_DECISION_KINDS
from screening.intake.screenings import answers_change, record_screening
from screening.intake.selectors import answer_screenings
from screening.questionnaire.models import Outcome

# The booking app's held and confirmed statuses, by value (booking sits above intake;
# tests/intake/test_correction.py keeps them equal to that app's own names).
ACTIVE_BOOKING = ("held", "confirmed")

#: The rule code of the flag a correction gets when a clinician had already decided.
DECIDED_FLAG = "CORRECTED_AFTER_DECISION"

#: What the patient reads when the correction is not offered, by reason.
REFUSALS = {
    "not_sent": _("Your form has not been sent yet: you can still change any answer on its pages."),
    "erased": _("This form can no longer be changed."),
    "booked": _("You have an appointment booked. To change an answer, please contact the clinic: we will "
                "look at it with you and keep your appointment if we can."),
    "question": _("A clinician has asked you a question: you can change your answers when you reply to it."),
    "already_sent": _("Your corrected answers have already been sent."),
}


class CorrectionError(Exception):
    """The correction cannot be made; ``code`` is a key of ``REFUSALS``."""

    def __init__(self, code: str) -> None:
        super().__init__(str(REFUSALS[code]))
        self.code = code


def correction_refusal(intake: Intake) -> str | None:
    """Why the patient may not correct this intake now (a key of ``REFUSALS``), or None when they may."""
    if not intake.is_submitted:
        return "not_sent"
    if not intake.answers:
        return "erased"
    if intake.bookings.filter(status__in=ACTIVE_BOOKING).exists():
        return "booked"
    if PatientQuestion.objects.filter(intake_id=intake.pk, answered_at__isnull=True, closed_at__isnull=True).exists():
        return "question"
    return None


def correctable_screening_id(intake: Intake) -> int | None:
    """The screening a correction replaces: the intake's latest screening of its answers."""
    return answer_screenings(intake.pk).values_list("pk", flat=True).first()


def intake_correct_answers(
    *, intake_id: int, corrects: int | None, answers: dict, hidden: Sequence[str] = (),
    actor: Actor | None = None, now: datetime | None = None,
) -> Screening:
    """The patient's corrected answers: merged in, screened again, recorded beside the earlier screening.

    ``corrects`` is the screening the patient saw when they opened the
    correction: a second tap (or another tab) that arrives after the first
    was recorded finds a newer one and records nothing ("already_sent").
    The intake is locked first, so two taps at once record one screening.
    """
    now = now or timezone.now()
    with transaction.atomic():
        intake = Intake.objects.select_for_update(of=("self",)).select_related("treatment").get(pk=intake_id)
        refusal = correction_refusal(intake)
        if refusal:
            raise CorrectionError(refusal)
        if corrects is None or correctable_screening_id(intake) != corrects:
            raise CorrectionError("already_sent")
        earlier = intake.outcome
        today = clinic_today(now)
        merged, result = answers_change(intake, answers=answers, hidden=hidden, on_date=today)
        if intake.decisions.filter(kind__in=FINAL_DECISION_KINDS).exists():
            result = _back_to_review(result)
        screening = record_screening(intake, result, reason=Screening.Reason.CORRECTED, on_date=today,
                                     answers=merged, update_intake=True)
        audit_log(action=AuditAction.ANSWERS_CORRECTED, actor=actor, target=screening, intake_id=intake.pk,
                  detail=f"{earlier} -> {screening.outcome}")
        return screening


def _back_to_review(result: rules.ScreeningResult) -> rules.ScreeningResult:
    """A clinician decided on the earlier answers: a correction the rules alone would let through waits for one."""
    if result.outcome not in (Outcome.ELIGIBLE, Outcome.DEFERRED):
        return result
    flag = rules.Flag(
        rule=DECIDED_FLAG, name="Corrected after a clinician's decision", severity="review", evidence={},
        eligible_from=None, revision=0,
        staff_message="The patient corrected an answer after a clinician had decided: please look again.",
        patient_message=str(_("You changed an answer after a clinician had looked at your form, so a clinician "
                              "will look at it again.")),
    )
    return rules.outcome_of([*result.flags, flag], result.missing)
