"""Questionnaire versions: a frozen copy of the steps and questions, published on each change.

The ``Step`` and ``Question`` rows are the live questionnaire the intake
renders. Every change made to them (a question draft published at
/staff/questions/, a medicine term saved in the set-up area) publishes a new
version when the snapshot differs from the latest, so the version an intake points
to is exactly what was live when the patient began.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from screening.audit.log import as_actor, audit_log
from screening.audit.models import AuditAction
from screening.questionnaire.models import Question, QuestionnaireVersion, QuestionWording, Rule, Step, StepWording
from screening.questionnaire.selectors import medicine_terms
from screening.rules import validate_rule

QUESTION_FIELDS = (
    "code", "order", "type", "kind", "label", "help_text", "required", "choices", "show_when_question",
    "show_when_value", "max_length", "must_be_true", "past_only", "allow_never", "never_label", "allow_month",
    "allow_not_sure",
)


def questionnaire_snapshot() -> dict[str, Any]:
    """The live steps, active questions and the medicine list free text is read for, as plain data, with
    their words in the other languages (five queries). The list is part of it: what a patient writes is
    read with it; the words too: a version is what its patients read, in each language (issue 16)."""
    steps = [
        {"number": s.number, "title": s.title, "intro": s.intro} for s in Step.objects.order_by("number")
    ]
    questions = [
        {"step": q.step.number, **{name: getattr(q, name) for name in QUESTION_FIELDS}}
        for q in Question.objects.filter(active=True).select_related("step")
    ]
    return {"steps": steps, "questions": questions, "terms": medicine_terms(),
            "translations": snapshot_translations({q["code"] for q in questions})}


def snapshot_translations(codes: set[str], *, StepWording=StepWording,  # noqa: N803 (a migration's models)
                          QuestionWording=QuestionWording) -> dict[str, dict[str, Any]]:
    """{language: {"steps": {number: {title, intro}}, "questions": {code: {label, help_text, never_label,
    choice_labels}}}}: only the words the clinic wrote (an empty one is the English, so it is left out)."""
    translations: dict[str, dict[str, Any]] = {}
    for w in StepWording.objects.select_related("step").order_by("step__number", "language"):
        words = {name: getattr(w, name) for name in ("title", "intro") if getattr(w, name).strip()}
        if words:
            translations.setdefault(w.language, {"steps": {}, "questions": {}})["steps"][str(w.step.number)] = words
    for w in QuestionWording.objects.select_related("question").order_by("question__code", "language"):
        if w.question.code not in codes:
            continue
        words = {name: getattr(w, name) for name in ("label", "help_text", "never_label") if getattr(w, name).strip()}
        labels = {k: v for k, v in (w.choice_labels or {}).items() if str(v).strip()}
        if labels:
            words["choice_labels"] = labels
        if words:
            translations.setdefault(w.language, {"steps": {}, "questions": {}})["questions"][w.question.code] = words
    return translations


def snapshot_specs(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The engine's question specs of a snapshot (as ``Question.as_spec`` gives them)."""
    return [Question(**{name: q.get(name) for name in QUESTION_FIELDS if name in q}).as_spec()
            for q in snapshot["questions"]]


def rules_problems(question_specs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Active rules whose conditions refer to a missing question, or no longer fit one."""
    problems = []
    for rule in Rule.objects.filter(active=True).order_by("code"):
        messages = [message for field, message in validate_rule(rule.as_spec(), question_specs)
                    if field == "conditions"]
        if messages:
            problems.append({"rule": rule.code, "problems": messages})
    return problems


@transaction.atomic
def questionnaire_publish(*, by=None, note: str = "") -> tuple[QuestionnaireVersion, bool]:
    """(the current version, whether it is new): a new version only when something changed.

    The version's ``rule_problems`` report active rules that refer to a
    question that is gone (or whose type no longer fits): the engine fails
    closed on them (a review flag), so they need a rule change.
    """
    # Serialise publishers: the table lock is the latest version's row.
    latest = QuestionnaireVersion.objects.select_for_update().order_by("-number").first()
    snapshot = questionnaire_snapshot()
    if latest is not None and latest.definition == snapshot:
        return latest, False
    version = QuestionnaireVersion.objects.create(
        number=(latest.number + 1) if latest else 1,
        definition=snapshot,
        rule_problems=rules_problems(snapshot_specs(snapshot)),
        note=note[:300],
        published_by=as_actor(by).user,
    )
    audit_log(action=AuditAction.QUESTIONNAIRE_PUBLISHED, actor=as_actor(by), target=version,
              detail=f"version {version.number}")
    return version, True
