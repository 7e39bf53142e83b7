"""Reads for the rules admin: definitions, the preview's intakes, questionnaire versions."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from screening.core.models import Treatment
from screening.questionnaire.definitions import normalize_definition
from screening.questionnaire.models import QuestionnaireVersion, Rule, RuleDraft


def current_questionnaire_version() -> QuestionnaireVersion | None:
    """The questionnaire version a new intake answers (the latest published), or None."""
    return QuestionnaireVersion.objects.order_by("-number").first()


def rule_definition(rule: Rule) -> dict:
    """A published rule as a definition (definitions.RULE_FIELDS)."""
    return normalize_definition(
        {
            "code": rule.code,
            "name": rule.name,
            "severity": rule.severity,
            "treatments": rule.treatments,
            "match": rule.match,
            "conditions": rule.conditions,
            "staff_message": rule.staff_message,
            "patient_message": rule.patient_message,
            "examples": rule.examples,
            "active": rule.active,
        }
    )


def draft_definition(draft: RuleDraft) -> dict:
    """A draft as a definition, conditions and examples included (two queries)."""
    return normalize_definition(
        {
            "code": draft.code,
            "name": draft.name,
            "severity": draft.severity,
            "treatments": draft.treatments,
            "match": draft.match,
            "conditions": [c.as_spec() for c in draft.conditions.all()],
            "staff_message": draft.staff_message,
            "patient_message": draft.patient_message,
            "examples": [e.as_spec() for e in draft.examples.all()],
            "active": draft.active,
        }
    )


def treatment_codes() -> list[str]:
    return list(Treatment.objects.values_list("code", flat=True))


def rules_with_recent_flags(queryset: QuerySet[Rule], *, days: int = 30) -> QuerySet[Rule]:
    """Annotate ``flagged_recently``: distinct intakes the rule flagged in the last ``days`` days."""
    since = timezone.now() - timedelta(days=days)
    return queryset.annotate(
        flagged_recently=Count(
            "flags__screening__intake", filter=Q(flags__screening__created_at__gte=since), distinct=True
        )
    )
