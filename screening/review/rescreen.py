"""Re-screening pending intakes against the current rules: a new snapshot beside the old.

Pending: submitted, and its latest screening has no final clinician
decision (clear or decline). A decided intake keeps the screening the
clinician read; re-screening it would quietly reopen the decision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from screening.audit.log import as_actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.selectors import active_booking_for
from screening.core.clinic import clinic_zone
from screening.intake.models import Intake, Screening
from screening.intake.screenings import record_screening
from screening.questionnaire.selectors import rule_data
from screening.review.models import FINAL_DECISION_KINDS, IntakeDecision
from screening.rules import compile_rules, screen_answers


@dataclass
class RescreenReport:
    #: (intake, outcome before, outcome after)
    rescreened: list[tuple[Intake, str, str]] = field(default_factory=list)
    #: (intake, why it was left alone)
    skipped: list[tuple[Intake, str]] = field(default_factory=list)


def pending_intakes():
    """Submitted intakes whose latest screening no clinician has cleared or declined."""
    latest = Screening.objects.filter(intake=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    decided = IntakeDecision.objects.filter(screening=OuterRef("latest_screening"), kind__in=FINAL_DECISION_KINDS)
    return (
        Intake.objects.filter(status=Intake.Status.SUBMITTED)
        .annotate(latest_screening=Subquery(latest))
        .annotate(decided=Exists(decided))
        .filter(decided=False)
    )


@transaction.atomic
def intakes_rescreen(*, intake_ids: Iterable[int], by) -> RescreenReport:
    """Screen the chosen pending intakes with the published rules, recording a new Screening each.

    The date is the intake's booked appointment, or today in the clinic
    before one is chosen. The old screenings and their flags stay as they were.
    """
    ids = sorted(set(intake_ids))
    report = RescreenReport()
    locked = {i.pk: i for i in Intake.objects.select_for_update().filter(pk__in=ids).select_related("treatment")}
    pending = set(pending_intakes().filter(pk__in=ids).values_list("pk", flat=True))
    questions, rule_specs = rule_data()
    rules = compile_rules(rule_specs, questions)  # once for every intake re-screened
    zone = clinic_zone()
    today = timezone.now().astimezone(zone).date()
    for pk in ids:
        intake = locked.get(pk)
        if intake is None:
            continue
        if pk not in pending:
            why = "not submitted" if not intake.is_submitted else "a clinician has already decided it"
            report.skipped.append((intake, why))
            continue
        booking = active_booking_for(intake)
        on_date = booking.start.astimezone(zone).date() if booking else today
        result = screen_answers(intake.answers, rules=rules, questions=questions,
                                treatment=intake.treatment.code, on_date=on_date)
        before = intake.outcome
        screening = record_screening(
            intake, result, reason=Screening.Reason.RESCREEN, on_date=on_date, answers=intake.answers,
            update_intake=True,
        )
        audit_log(action=AuditAction.INTAKE_RESCREENED, actor=as_actor(by), target=intake, intake_id=intake.pk,
                  detail=f"screening {screening.pk}")
        report.rescreened.append((intake, before, result.outcome))
    return report
