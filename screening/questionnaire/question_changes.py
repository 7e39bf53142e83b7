"""Changing the questionnaire through drafts: start a change to a question (or a new one), save it, see what
it does to the rules, publish it (the live question changes and a new questionnaire version is published)
or discard it. One transaction each, audited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from screening.audit.log import as_actor, audit_log
from screening.audit.models import AuditAction
from screening.questionnaire.draft_wordings import question_translations, question_wordings_publish
from screening.questionnaire.models import Question, QuestionChange, QuestionnaireVersion, QuestionType, Rule, Step
from screening.questionnaire.services import RulesAdminError
from screening.questionnaire.versions import QUESTION_FIELDS, questionnaire_publish, rules_problems

EDITABLE = ("step", "label", "help_text", "required", "choices", "active", "note", "translations")


def _code_from(label: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:50] or "question"
    taken = set(Question.objects.filter(code__startswith=base).values_list("code", flat=True))
    taken |= set(QuestionChange.objects.filter(code__startswith=base, status=QuestionChange.Status.DRAFT)
                 .values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code


@transaction.atomic
def question_change_start(*, question: Question, by) -> QuestionChange:
    """The open change to ``question``, made from its live state if there is none."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    existing = QuestionChange.objects.filter(code=question.code, status=QuestionChange.Status.DRAFT).first()
    if existing is not None:
        return existing
    return QuestionChange.objects.create(
        question=question, code=question.code, step=question.step, order=question.order, type=question.type,
        label=question.label, help_text=question.help_text, required=question.required,
        choices=list(question.choices or []), active=question.active, created_by=as_actor(by).user,
        translations=question_translations(question),
    )


@transaction.atomic
def question_change_new(*, step: Step, label: str, type: str, by) -> QuestionChange:
    """A new question (a draft) at the end of ``step``; its code is made from its wording, once."""
    if type not in QuestionType.values:
        raise RulesAdminError("Choose the kind of answer.")
    order = (Question.objects.filter(step=step).aggregate(last=Max("order"))["last"] or 0) + 1
    change = QuestionChange.objects.create(
        code=_code_from(label), step=step, order=order, type=type, label=label, created_by=as_actor(by).user,
        translations=question_translations(None),
    )
    audit_log(action=AuditAction.QUESTION_CHANGE_SAVED, actor=as_actor(by), target=change, detail=change.code)
    return change


@transaction.atomic
def question_change_save(*, change: QuestionChange, fields: Mapping[str, Any], by) -> QuestionChange:
    change = QuestionChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_open:
        raise RulesAdminError(f"This change was already {change.get_status_display().lower()}.")
    for name in EDITABLE:
        if name in fields:
            setattr(change, name, fields[name])
    change.save()
    audit_log(action=AuditAction.QUESTION_CHANGE_SAVED, actor=as_actor(by), target=change, detail=change.code)
    return change


def change_specs(change: QuestionChange) -> list[dict]:
    """The engine's question specs of the live questionnaire with ``change`` applied."""
    questions = [q for q in Question.objects.filter(active=True).select_related("step") if q.code != change.code]
    if change.active:
        questions.append(as_question(change))
    return [q.as_spec() for q in questions]


def as_question(change: QuestionChange) -> Question:
    """The question as it would be once published (unsaved): what the previews draw."""
    base = change.question or Question(code=change.code, type=change.type)
    values = {name: getattr(base, name) for name in QUESTION_FIELDS}
    values.update(code=change.code, order=change.order, type=change.type, label=change.label,
                  help_text=change.help_text, required=change.required, choices=list(change.choices or []))
    question = Question(pk=base.pk, step=change.step, active=change.active, asked_again=base.asked_again, **values)
    return question


def rules_reading(code: str) -> list[Rule]:
    """The active rules whose conditions read the question."""
    return [rule for rule in Rule.objects.filter(active=True).order_by("name")
            if any(c.get("question") == code for c in rule.conditions or [])]


def change_rule_problems(change: QuestionChange) -> list[dict]:
    """Active rules the change would leave referring to a missing question or answer (they would flag every
    intake for review until changed)."""
    return rules_problems(change_specs(change))


@transaction.atomic
def question_change_publish(*, change: QuestionChange, by) -> QuestionnaireVersion:
    """Make the change live and publish a new questionnaire version (audited)."""
    change = QuestionChange.objects.select_for_update().get(pk=change.pk)
    if not change.is_open:
        raise RulesAdminError(f"This change was already {change.get_status_display().lower()}.")
    if change.question_id is None and Question.objects.filter(code=change.code).exists():
        raise RulesAdminError(f"A question {change.code} was added meanwhile: discard this change and start again.")
    question = as_question(change)
    question.save()
    question_wordings_publish(question, change.translations or {})
    change.status, change.question = QuestionChange.Status.PUBLISHED, question
    change.save(update_fields=["status", "question", "updated_at"])
    version, _created = questionnaire_publish(by=by, note=change.note or f"question {change.code}")
    audit_log(action=AuditAction.QUESTION_CHANGE_PUBLISHED, actor=as_actor(by), target=change,
              detail=f"{change.code}: questionnaire version {version.number}")
    return version


@transaction.atomic
def question_change_discard(*, change: QuestionChange, by) -> None:
    updated = QuestionChange.objects.filter(pk=change.pk, status=QuestionChange.Status.DRAFT).update(
        status=QuestionChange.Status.DISCARDED)
    if updated != 1:
        raise RulesAdminError("Only an open change can be discarded.")
    audit_log(action=AuditAction.QUESTION_CHANGE_DISCARDED, actor=as_actor(by), target=change, detail=change.code)
