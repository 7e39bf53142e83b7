"""A returning patient's next session: a short health update instead of a whole new form.

After a session done, the patient books the next one by answering again
only what can change (the questions marked "asked again"). A new intake is
made for the same patient and treatment from their last answers with the
update laid over, and sent as any intake is: screened with the full rule
set (and again for the date they pick, by the booking). The whole form is
asked again a clinic-set time after the last full one, or when the
questionnaire now needs an answer the last answers lack.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from screening import rules
from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.models import Booking, BookingStatus
from screening.core.clinic import clinic_profile, clinic_today
from screening.intake.models import Intake
from screening.intake.services import intake_submit
from screening.questionnaire.selectors import Questionnaire

REFUSALS = {
    "no_session": _("You can book your next session this way after your first one. "
                    "Please fill in the form instead."),
    "too_old": _("It has been a while since you last filled in the whole form, so we ask you to do it again: "
                "it keeps your treatment safe."),
    "changed": _("Our form has changed since you last filled it in, so we ask you to fill in the whole form again. "
                "Thank you!"),
}


class UpdateError(Exception):
    """The short update is not enough; the message (safe to show) says why."""


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def short_update_refusal(intake: Intake, questionnaire: Questionnaire, *, today: date | None = None) -> str | None:
    """Why the patient must fill in the whole form (a key of REFUSALS), or None when the short update will do."""
    today = today or clinic_today()
    if intake.patient_id is None or not intake.is_submitted or not Booking.objects.filter(
            intake__patient_id=intake.patient_id, treatment_id=intake.treatment_id,
            status=BookingStatus.COMPLETED).exists():
        return "no_session"
    full = (Intake.objects.filter(patient_id=intake.patient_id, treatment_id=intake.treatment_id,
                                  status=Intake.Status.SUBMITTED, follows__isnull=True)
            .order_by("-submitted_at").values_list("submitted_at", flat=True).first())
    if full is None or months_after(full.date(), clinic_profile().full_intake_months) <= today:
        return "too_old"
    questions, rule_specs = questionnaire.rule_data
    result = rules.screen_answers(intake.answers, rules=rule_specs, questions=questions,
                                  treatment=intake.treatment.code, on_date=today)
    return "changed" if result.missing else None


def intake_follow_on(*, intake_id: int, answers: dict, hidden: Sequence[str] = (), questionnaire: Questionnaire,
                     actor: Actor | None = None) -> Intake:
    """The next session's intake, built from ``intake_id``'s answers with the update laid over, and sent; audited."""
    from screening.questionnaire.admin_selectors import current_questionnaire_version

    with transaction.atomic():
        last = Intake.objects.select_for_update(of=("self",)).select_related("treatment").get(pk=intake_id)
        refusal = short_update_refusal(last, questionnaire)
        if refusal:
            raise UpdateError(str(REFUSALS[refusal]))
        merged = {**last.answers, **answers}
        for code in hidden:
            merged.pop(code, None)
        new = Intake.objects.create(
            treatment=last.treatment, patient_id=last.patient_id, follows=last, answers=merged,
            questionnaire_version=current_questionnaire_version(),
            completed_step=max((s.number for s in questionnaire.steps), default=0),
            email=last.email, verified_email=last.verified_email, first_name=last.first_name,
            last_name=last.last_name, language=last.language,
        )
        new = intake_submit(intake=new, questionnaire=questionnaire)
        audit_log(action=AuditAction.ANSWERS_UPDATED, actor=actor, target=new, intake_id=new.pk,
                  detail=f"short health update for the next session (after intake {last.pk})")
        return new
