"""An intake filled in by staff with the patient on the phone (issue 19's front desk work).

The staff member asks the questions and types the answers on the staff side
(screening.review.phone_intake); the intake records who did it and when.
There is no typed signature on the phone: the staff member ticks that the
patient consented aloud, and that tick is recorded with their name and
audited. Sending works as online: the same rules, the same snapshot, and the
patient's receipt with their own link (through the outbox), so they can see
and correct their answers and book for themselves.

The staff member's session is never granted the intake (screening.intake.access):
staff reach it by their sign-in and permission, patients by their link, and
neither route opens the other's pages.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.core.models import Treatment
from screening.intake.models import Intake
from screening.intake.services import Finished, intake_finish, intake_save_step, intake_start
from screening.questionnaire.selectors import Questionnaire


@transaction.atomic
def intake_start_assisted(*, treatment: Treatment, by: Actor, now: datetime | None = None) -> Intake:
    """A new draft, marked as filled in by ``by`` with the patient on the phone."""
    intake = intake_start(treatment=treatment)
    intake.assisted_by = by.user
    intake.assisted_at = now or timezone.now()
    intake.save(update_fields=["assisted_by", "assisted_at", "updated_at"])
    audit_log(action=AuditAction.INTAKE_ASSISTED, actor=by, target=intake, intake_id=intake.pk)
    return intake


@transaction.atomic
def intake_assisted_step(
    *, intake: Intake, step_number: int, answers: dict, hidden: list[str], questionnaire: Questionnaire,
    today: date, send: bool, consent_confirmed: bool, by: Actor, complete: bool = True,
    now: datetime | None = None,
) -> Finished:
    """Save (``send``: and send) one step typed by staff; record the patient's verbal consent if ticked on it.

    The consent is recorded once, with the staff member and the time, and audited; the step's save
    and the consent stand or fall together.
    """
    if send:
        finished = intake_finish(intake=intake, step_number=step_number, answers=answers, hidden=hidden,
                                 questionnaire=questionnaire, today=today)
    else:
        intake_save_step(intake=intake, step_number=step_number, answers=answers, hidden=hidden,
                         complete=complete, questionnaire=questionnaire)
        finished = Finished(intake, step_number)
    if consent_confirmed:
        at = now or timezone.now()
        recorded = Intake.objects.filter(pk=intake.pk, assisted_at__isnull=False,
                                         verbal_consent_at__isnull=True).update(
            verbal_consent_by=by.user, verbal_consent_at=at)
        if recorded:
            intake.verbal_consent_by, intake.verbal_consent_at = by.user, at
            audit_log(action=AuditAction.VERBAL_CONSENT, actor=by, target=intake, intake_id=intake.pk)
    return finished
