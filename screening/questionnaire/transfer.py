"""Export and import of the rule set as JSON, to move rules between clinics or keep them in git.

An import makes the clinic's rule set the file's: rules in the file are
created or changed (each change a new revision), active rules missing from
it are retired unless ``keep_missing``. Everything is checked first (shape,
questions, treatments, every example against the resulting rule set); one
problem refuses the whole file and nothing changes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from screening.audit.log import as_actor, audit_log
from screening.audit.models import AuditAction
from screening.questionnaire.admin_selectors import rule_definition, treatment_codes
from screening.questionnaire.definitions import (
    RULE_FIELDS,
    changed_fields,
    normalize_definition,
    with_definition,
)
from screening.questionnaire.models import RULE_CODE_VALIDATOR, Rule, RuleRevision
from screening.questionnaire.selectors import rule_data, with_terms
from screening.questionnaire.services import RulesAdminError, check_definition, publish_definition
from screening.rules import MATCH_MODES, SEVERITIES, DuplicateKeyError, loads_strict

FORMAT = "clinic-screening-rules"
FORMAT_VERSION = 1
# A clinic's whole rule set is a few tens of kilobytes; these caps refuse hostile files early.
MAX_FILE_BYTES = 1024 * 1024
MAX_NESTING = 32
_REQUIRED = ("code", "name", "severity", "conditions", "staff_message", "patient_message")
_ALLOWED = set(RULE_FIELDS) | {"revision"}
_TYPES: dict[str, tuple[type, ...]] = {
    "code": (str,), "name": (str,), "severity": (str,), "treatments": (list,), "match": (str,),
    "conditions": (list,), "staff_message": (str,), "patient_message": (str,), "examples": (list,),
    "active": (bool,), "revision": (int,),
}


class RuleFileError(RulesAdminError):
    """A rule file that cannot be imported; nothing was changed."""


def export_document(rules=None) -> dict[str, Any]:
    """The rule set (all rules, retired ones included) as an export document."""
    rules = Rule.objects.order_by("code") if rules is None else rules
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "rules": [{**rule_definition(rule), "revision": rule.revision} for rule in rules],
    }


def export_text(rules=None) -> str:
    return json.dumps(export_document(rules), indent=2, ensure_ascii=False) + "\n"


def parse_document(text: str | bytes) -> list[dict[str, Any]]:
    """The definitions of an export document; RuleFileError naming every problem of its shape."""
    if len(text) > MAX_FILE_BYTES:
        raise RuleFileError(f"The file is larger than {MAX_FILE_BYTES // 1024} KB: a rule set export is far smaller.")
    try:
        data = loads_strict(text)
    except json.JSONDecodeError as error:
        raise RuleFileError(f"The file is not valid JSON: {error}.") from None
    except RecursionError:
        raise RuleFileError(f"The file nests lists or objects too deeply (more than {MAX_NESTING} levels).") from None
    except ValueError as error:  # Python refuses integers of more than 4,300 digits
        raise RuleFileError(f"The file holds a number too long to read ({error}).") from None
    except DuplicateKeyError as error:
        raise RuleFileError(f"The file is not valid JSON: {error}, so which is meant cannot be known.") from None
    except UnicodeDecodeError:
        raise RuleFileError("The file is not UTF-8 text.") from None
    if _depth(data) > MAX_NESTING:
        raise RuleFileError(f"The file nests lists or objects too deeply (more than {MAX_NESTING} levels).")
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise RuleFileError(f'This is not a rule set export: it needs "format": "{FORMAT}".')
    if data.get("format_version") != FORMAT_VERSION:
        raise RuleFileError(
            f"Unsupported format_version {data.get('format_version')!r} (this clinic reads {FORMAT_VERSION})."
        )
    rules = data.get("rules")
    if not isinstance(rules, list):
        raise RuleFileError('"rules" must be a list of rules.')
    problems: list[str] = []
    seen: set[str] = set()
    definitions = []
    for number, rule in enumerate(rules, start=1):
        where = f"Rule {number}"
        if not isinstance(rule, Mapping):
            problems.append(f"{where}: must be an object.")
            continue
        if isinstance(rule.get("code"), str):
            where = f"Rule {number} ({rule['code']})"
        rule_problems = _shape_problems(rule)
        problems.extend(f"{where}: {p}" for p in rule_problems)
        code = rule.get("code")
        if isinstance(code, str):
            if code in seen:
                problems.append(f"{where}: the code appears twice in the file.")
            seen.add(code)
        if not rule_problems:
            definitions.append(normalize_definition(rule))
    if problems:
        raise RuleFileError(problems)
    return definitions


def _depth(data: Any) -> int:
    """How deeply lists and objects nest in parsed JSON (without recursion, so a hostile file cannot blow the stack)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_NESTING:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _shape_problems(rule: Mapping[str, Any]) -> list[str]:
    problems = []
    unknown = sorted(set(rule) - _ALLOWED)
    if unknown:
        problems.append(f"unknown keys {', '.join(map(str, unknown))}.")
    missing = [key for key in _REQUIRED if key not in rule]
    if missing:
        problems.append(f"missing {', '.join(missing)}.")
    for key, types in _TYPES.items():
        if key in rule and (not isinstance(rule[key], types) or (types == (int,) and isinstance(rule[key], bool))):
            problems.append(f"{key} has the wrong type.")
    code = rule.get("code")
    if isinstance(code, str):
        if not RULE_CODE_VALIDATOR.regex.match(code) or len(code) > 60:
            problems.append("the code must be capital letters, digits and underscores (at most 60).")
    if rule.get("severity") not in SEVERITIES:
        problems.append(f"severity must be one of {', '.join(SEVERITIES)}.")
    if rule.get("match", "all") not in MATCH_MODES:
        problems.append("match must be all or any.")
    return problems


@dataclass
class ImportPlan:
    created: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: active rule specs now, and as they would be after the import (for a preview)
    current: list[dict] = field(default_factory=list)
    proposed: list[dict] = field(default_factory=list)
    #: examples of unchanged rules that the import would break (shown, not blocking)
    warnings: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.changed or self.retired)

    def lines(self) -> list[str]:
        lines = [f"create {code}" for code in self.created]
        lines += [f"change {code}: {', '.join(fields)}" for code, fields in self.changed]
        lines += [f"retire {code}" for code in self.retired]
        lines.append(f"{len(self.unchanged)} unchanged")
        lines += [f"warning: {warning}" for warning in self.warnings]
        return lines


def _plan(definitions: list[dict], existing: dict[str, Rule], *, keep_missing: bool) -> tuple[ImportPlan, list[str]]:
    """What the import would do, and the problems that refuse it."""
    questions, current = rule_data()
    plan = ImportPlan(current=current)
    in_file = {d["code"] for d in definitions}
    finals: list[dict] = []
    for definition in definitions:
        rule = existing.get(definition["code"])
        if rule is None:
            plan.created.append(definition["code"])
            finals.append(definition)
            continue
        fields = changed_fields(rule_definition(rule), definition)
        if fields:
            plan.changed.append((definition["code"], fields))
            finals.append(definition)
        else:
            plan.unchanged.append(definition["code"])
    if not keep_missing:
        for code, rule in sorted(existing.items()):
            if code not in in_file and rule.active:
                plan.retired.append(code)
                finals.append({**rule_definition(rule), "active": False})
    proposed = current
    for definition in finals:
        proposed = with_definition(proposed, definition)
    proposed = with_terms(proposed)
    plan.proposed = proposed
    treatments = treatment_codes()
    problems = []
    touched = set(plan.created) | {code for code, _fields in plan.changed}
    for definition in definitions:
        check = check_definition(definition, questions=questions, rules=proposed, treatments=treatments)
        if definition["code"] in touched:
            problems.extend(f"{definition['code']}: {p}" for p in check.problems)
        else:
            # Already published as it is: as when publishing a draft, only the
            # rules that change must pass; another rule's broken example is a warning.
            plan.warnings.extend(f"{r.describe()}." for r in check.examples if not r.passed)
    return plan, problems


def rules_import(text: str | bytes, *, by=None, dry_run: bool = False, keep_missing: bool = False,
                 note: str = "") -> ImportPlan:
    """Check a rule file and, unless ``dry_run``, apply it: all or nothing, one transaction."""
    definitions = parse_document(text)
    with transaction.atomic():
        existing = {rule.code: rule for rule in Rule.objects.select_for_update().order_by("code")}
        plan, problems = _plan(definitions, existing, keep_missing=keep_missing)
        if problems:
            raise RuleFileError(problems)
        if dry_run or not plan.has_changes:
            return plan
        by_code = {d["code"]: d for d in definitions}
        note = note or "Imported from a rule file"
        for code in plan.created:
            publish_definition(None, by_code[code], by=by, source=RuleRevision.Source.IMPORT, note=note)
        for code, _fields in plan.changed:
            publish_definition(existing[code], by_code[code], by=by, source=RuleRevision.Source.IMPORT, note=note)
        for code in plan.retired:
            retired = {**rule_definition(existing[code]), "active": False}
            publish_definition(existing[code], retired, by=by, source=RuleRevision.Source.IMPORT, note=note)
        audit_log(action=AuditAction.RULES_IMPORTED, actor=as_actor(by), detail="; ".join(plan.lines())[:200])
        plan.applied = True
    return plan
