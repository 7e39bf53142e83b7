"""Store a run of the rules engine as a snapshot (Screening + Flags)."""

from __future__ import annotations

from datetime import date

from screening import rules
from screening.intake.models import Flag, Intake, Screening
from screening.intake.review import intake_review_state_refresh
from screening.questionnaire.models import Rule
from screening.questionnaire.selectors import rule_data
from screening.rules import answers_to_json


def answers_change(intake: Intake, *, answers: dict, hidden, on_date: date) -> tuple[dict, rules.ScreeningResult]:
    """The patient changed some answers (a clinician's question, a correction): ``answers`` over the stored
    ones, the questions now hidden dropped, saved; and the result of screening them on ``on_date``.
    Inside the caller's transaction, the intake locked."""
    merged = {**intake.answers, **answers}
    for code in hidden:
        merged.pop(code, None)
    intake.answers = merged
    intake.save(update_fields=["answers", "updated_at"])
    questions, rule_specs = rule_data()
    result = rules.screen_answers(merged, rules=rule_specs, questions=questions, treatment=intake.treatment.code,
                                  on_date=on_date)
    return merged, result


def record_screening(
    intake: Intake, result, *, reason: str, on_date: date, answers: dict, update_intake: bool = False
) -> Screening:
    """Add a Screening row with one Flag per fired rule; never overwrites.

    Call inside the caller's transaction. ``answers`` are the answers as
    screened, JSON or typed (dates are stored as ISO strings). With
    ``update_intake`` the intake's mirrored outcome and eligible-from date
    follow this screening, and so does its review state (the caller holds
    the intake's lock).
    """
    screening = Screening.objects.create(
        intake=intake, reason=reason, on_date=on_date, outcome=result.outcome,
        eligible_from=result.eligible_from, missing=list(result.missing), answers=answers_to_json(answers),
    )
    rule_ids = dict(Rule.objects.filter(code__in=[f.rule for f in result.flags]).values_list("code", "id"))
    Flag.objects.bulk_create([
        Flag(
            screening=screening, rule_id=rule_ids.get(f.rule), rule_code=f.rule,
            rule_revision=f.revision or 0, rule_name=f.name or f.rule, severity=f.severity,
            evidence=f.evidence, eligible_from=f.eligible_from, staff_message=f.staff_message or "",
            patient_message=f.patient_message or "", error=f.error or "",
        )
        for f in result.flags
    ])
    if update_intake:
        intake.outcome = result.outcome
        intake.eligible_from = result.eligible_from
        intake.save(update_fields=["outcome", "eligible_from", "updated_at"])
        intake_review_state_refresh(intake)
    return screening
