"""Changing the rules: start a draft, check it, publish it (a new revision), discard it.

Each write is one transaction. Publishing re-checks everything under a lock
on the rule, so what the preview showed cannot be overtaken by another
admin's publication in between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from screening.audit.log import as_actor, audit_log
from screening.audit.models import AuditAction
from screening.core.clinic import clinic_today
from screening.questionnaire.admin_selectors import draft_definition, rule_definition, treatment_codes
from screening.questionnaire.definitions import engine_spec, normalize_definition, with_definition
from screening.questionnaire.draft_wordings import rule_translations, rule_wordings_publish
from screening.questionnaire.examples import ExampleResult, run_examples
from screening.questionnaire.models import DraftCondition, DraftExample, Rule, RuleDraft, RuleRevision
from screening.questionnaire.selectors import rule_data, with_terms
from screening.rules import validate_rule


class RulesAdminError(Exception):
    """A refused change; ``problems`` are safe to show to the admin, one per line."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


@dataclass
class DefinitionCheck:
    """What publishing a definition would meet: its problems and its examples' results."""

    problems: list[str] = field(default_factory=list)
    examples: list[ExampleResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_definition(
    definition: Mapping[str, Any],
    *,
    questions: Sequence[Mapping[str, Any]],
    rules: Sequence[Mapping[str, Any]],
    treatments: Sequence[str],
) -> DefinitionCheck:
    """Validate a definition against the questionnaire and run its examples.

    ``rules`` is the active rule set the examples run in, with the definition
    already applied. A rule being retired is not checked: retiring is always
    allowed, even when its question is gone.
    """
    check = DefinitionCheck()
    if not definition.get("active", True):
        return check
    spec = engine_spec(definition, None)
    check.problems.extend(message for _field, message in validate_rule(spec, questions))
    unknown = [code for code in definition.get("treatments") or [] if code not in treatments]
    if unknown:
        check.problems.append(f"Unknown treatment: {', '.join(map(str, unknown))}.")
    examples = definition.get("examples") or []
    if not examples:
        check.problems.append("Add at least one example: answers and the outcome they must give.")
    check.examples = run_examples(
        definition["code"], examples, rules=rules, questions=questions, treatment_codes=treatments
    )
    check.problems.extend(f"Example {r.number} fails: {r.problem}." for r in check.examples if not r.passed)
    return check


@dataclass
class DraftCheck:
    """A draft as a definition, checked, with the rule sets before and after it."""

    definition: dict
    check: DefinitionCheck
    questions: list[dict]
    current: list[dict]
    proposed: list[dict]


def check_draft(draft: RuleDraft) -> DraftCheck:
    """Everything the preview shows and publishing requires, from the published state."""
    definition = draft_definition(draft)
    questions, current = rule_data()
    proposed = with_terms(with_definition(current, definition))
    check = check_definition(definition, questions=questions, rules=proposed, treatments=treatment_codes())
    return DraftCheck(definition, check, questions, current, proposed)


@transaction.atomic
def draft_start(*, rule: Rule, by) -> RuleDraft:
    """The open draft of ``rule``, made from its published definition if there is none."""
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    existing = RuleDraft.objects.filter(code=rule.code, status=RuleDraft.Status.DRAFT).first()
    if existing is not None:
        return existing
    definition = rule_definition(rule)
    draft = RuleDraft.objects.create(
        rule=rule, base_revision=rule.revision, created_by=as_actor(by).user, translations=rule_translations(rule),
        **{name: definition[name] for name in
           ("code", "name", "severity", "treatments", "match", "staff_message", "patient_message", "active")},
    )
    DraftCondition.objects.bulk_create(
        DraftCondition(draft=draft, question=c.get("question", ""), op=c.get("op", ""), value=c.get("value"))
        for c in definition["conditions"]
    )
    DraftExample.objects.bulk_create(
        DraftExample(
            draft=draft, answers=e.get("answers", {}), treatment=e.get("treatment", ""),
            on_date=e.get("on_date") or clinic_today(),
            expected=e.get("expected", ""), eligible_from=e.get("eligible_from"), note=e.get("note", ""),
        )
        for e in definition["examples"]
    )
    return draft


def publish_definition(
    rule: Rule | None, definition: Mapping[str, Any], *, by, source: str, note: str = "", draft: RuleDraft | None = None
) -> RuleRevision:
    """Write ``definition`` as the live rule and freeze it as a new revision.

    Every publication is a new revision, whether or not the rule has flagged
    anyone yet: a (rule code, revision) pair then always names one definition.
    Call inside a transaction, with ``rule`` locked. Checks are the caller's.
    """
    definition = normalize_definition(definition)
    if rule is None:
        rule = Rule(code=definition["code"], revision=1)
    else:
        rule.revision += 1
    for name in ("name", "severity", "treatments", "match", "conditions", "staff_message", "patient_message",
                 "examples", "active"):
        setattr(rule, name, definition[name])
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        raise RulesAdminError(f"A rule with the code {definition['code']} was published meanwhile.") from None
    return RuleRevision.objects.create(
        rule=rule, number=rule.revision, definition=definition, source=source, note=note[:300],
        draft=draft, published_by=as_actor(by).user,
    )


@transaction.atomic
def draft_publish(*, draft: RuleDraft, by) -> RuleRevision:
    """Publish an open draft: refused while it is invalid, stale, or one of its examples fails."""
    draft = RuleDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_open:
        raise RulesAdminError(f"This draft was already {draft.get_status_display().lower()}.")
    rule = None
    if draft.rule_id is not None:
        rule = Rule.objects.select_for_update().get(pk=draft.rule_id)
        if rule.revision != draft.base_revision:
            raise RulesAdminError(
                f"{rule.code} was published again (revision {rule.revision}) after this draft was started "
                f"from revision {draft.base_revision}. Discard this draft and start a new one."
            )
    elif Rule.objects.filter(code=draft.code).exists():
        raise RulesAdminError(f"A rule with the code {draft.code} already exists: start a change from its page.")
    checked = check_draft(draft)
    if not checked.check.ok:
        raise RulesAdminError(checked.check.problems)
    revision = publish_definition(
        rule, checked.definition, by=by, source=RuleRevision.Source.DRAFT, note=draft.note, draft=draft
    )
    rule_wordings_publish(revision.rule, draft.translations or {})
    draft.status = RuleDraft.Status.PUBLISHED
    draft.rule = revision.rule
    draft.save(update_fields=["status", "rule", "updated_at"])
    audit_log(
        action=AuditAction.RULE_PUBLISHED, actor=as_actor(by), target=revision.rule,
        detail=f"{revision.rule.code} revision {revision.number}"
    )
    return revision


@transaction.atomic
def draft_discard(*, draft: RuleDraft, by) -> RuleDraft:
    """Close an open draft without publishing it (it stays, for the record)."""
    updated = RuleDraft.objects.filter(pk=draft.pk, status=RuleDraft.Status.DRAFT).update(
        status=RuleDraft.Status.DISCARDED, updated_at=timezone.now()
    )
    if updated != 1:
        raise RulesAdminError("Only an open draft can be discarded.")
    audit_log(action=AuditAction.RULE_DRAFT_DISCARDED, actor=as_actor(by), target=draft, detail=draft.code)
    draft.refresh_from_db()
    return draft


@transaction.atomic
def draft_revise(
    *, draft: RuleDraft, words: Mapping[str, str], conditions: Sequence[Mapping[str, Any]],
    examples: Sequence[Mapping[str, Any]], by,
) -> RuleDraft:
    """Write the plain-language editor's draft: its words, its conditions and its examples, replaced whole.

    The caller has checked the conditions with the engine; the examples run at the preview and at
    publication (a failing example blocks publishing, not saving). Refused once the draft is closed.
    """
    draft = RuleDraft.objects.select_for_update().get(pk=draft.pk)
    if not draft.is_open:
        raise RulesAdminError(f"This draft was already {draft.get_status_display().lower()}: it cannot change.")
    for name in ("name", "staff_message", "patient_message", "note", "translations", "active"):
        setattr(draft, name, words.get(name, getattr(draft, name)))
    draft.save()
    draft.conditions.all().delete()
    DraftCondition.objects.bulk_create(
        DraftCondition(draft=draft, question=c["question"], op=c["op"], value=c.get("value")) for c in conditions
    )
    draft.examples.all().delete()
    DraftExample.objects.bulk_create(
        DraftExample(draft=draft, answers=e["answers"], treatment=e["treatment"], on_date=e["on_date"],
                     expected=e["expected"], eligible_from=e.get("eligible_from"), note=e.get("note", ""))
        for e in examples
    )
    audit_log(action=AuditAction.RULE_DRAFT_SAVED, actor=as_actor(by), target=draft,
              detail=f"{draft.code}: {len(conditions)} conditions, {len(examples)} examples"
                     + ("" if draft.active else "; retires the rule"))
    return draft
