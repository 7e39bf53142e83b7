"""Reads that matter, kept in one place."""

from __future__ import annotations

from django.db.models import Prefetch

from screening.models import Question, Rule, Step


def question_specs() -> list[dict]:
    return [q.as_spec() for q in Question.objects.filter(active=True).select_related("step")]


def rule_specs() -> list[dict]:
    return [r.as_spec() for r in Rule.objects.filter(active=True)]


def rule_data() -> tuple[list[dict], list[dict]]:
    """The published questions and rules as the pure engine reads them."""
    return question_specs(), rule_specs()


def steps_with_questions() -> list[Step]:
    return list(
        Step.objects.prefetch_related(
            Prefetch("questions", queryset=Question.objects.filter(active=True).order_by("order", "id"))
        ).order_by("number")
    )
