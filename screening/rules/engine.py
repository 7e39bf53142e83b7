"""Screening: typed answers + rules + treatment + appointment date -> outcome and flags.

Pure Python over plain data (see docs/engine-contract.md). The engine fails
closed: a rule it cannot evaluate becomes a ``review`` flag carrying an
``error``, an answer it cannot read counts as missing when the question is
required, so neither can ever yield ``eligible``.

``screen_answers`` is how callers screen answers as stored (JSON): it reads
what it can (``readable_answers``) and screens that. ``screen`` takes answers
already typed (``parse_answers``), for callers that must refuse a bad answer
rather than screen without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from .answers import json_value, readable_answers
from .compiled import CompiledRule, CompiledRules, compile_rules
from .constants import (
    DEFERRED,
    ELIGIBLE,
    INCOMPLETE,
    NOT_SUITABLE,
    REVIEW,
)
from .messages import fill_messages
from .operators import NOT_SURE, RuleError
from .results import Flag, ScreeningResult
from .visibility import hidden_codes

__all__ = ["RuleError", "outcome_of", "rule_flags", "screen", "screen_answers"]

#: Patient-facing text of a flag whose rule could not be evaluated.
ERROR_PATIENT_MESSAGE = (
    "One of our clinicians will look over your answers before your appointment is confirmed."
)


# --- completeness ----------------------------------------------------------------


def _is_unanswered(question: Mapping[str, Any], value: Any) -> bool:
    """True when a present answer does not count as an answer to a required question."""
    kind = question.get("type")
    if kind == "date":
        if value is None:  # "never", unless the question does not allow it
            return question.get("nullable", True) is False
        return not isinstance(value, date)
    if value is None:
        return True
    if kind == "yes_no":
        if value == NOT_SURE and question.get("not_sure"):
            return False
        if not isinstance(value, bool):
            return True
        return bool(question.get("must_be_true")) and value is not True
    if kind == "choice":
        choices = question.get("choices")
        return not isinstance(value, str) or value == "" or (choices is not None and value not in choices)
    if kind == "multi":
        return not isinstance(value, (list, tuple)) or not value
    if kind == "text":
        return not isinstance(value, str) or not value.strip()
    return True  # a type the engine does not know cannot be answered


# --- rules -------------------------------------------------------------------


def _evaluate(
    rule: CompiledRule, answers: Mapping[str, Any], on_date: date
) -> tuple[bool, dict[str, Any], date | None]:
    """(fires, evidence, date it stops firing) for one rule; RuleError if it cannot be evaluated."""
    # Every condition is evaluated, even when the result is already known, so
    # that a broken condition is reported rather than hidden by a short circuit.
    match_all = rule.match_all
    fired_all = True
    fired_any = False
    open_ended = False  # under "any": a firing condition without an end date
    evidence: dict[str, Any] = {}
    extra: dict[str, str] = {}  # what an operator adds (the words a text condition matched)
    stops: list[date] = []
    for condition in rule.conditions:
        code = condition.code
        if code not in answers:
            fires, stop = False, None  # conditions over an absent answer do not fire
        else:
            answer = answers[code]
            if answer is None and not condition.tests_none:
                fires, stop = False, None  # not answered yet
            else:
                tested = condition.test(answer, condition.value, code, on_date)
                fires, stop = tested[0], tested[1]
                if fires and len(tested) > 2:
                    extra.update(tested[2])
        if fires:
            fired_any = True
            evidence[code] = json_value(answers[code])
            if stop is None:
                open_ended = True
            elif not match_all:
                stops.append(stop)
        else:
            fired_all = False
        if match_all and stop is not None:
            stops.append(stop)
    if rule.broken is not None:
        raise rule.broken.with_traceback(None)  # the same error each time, without a growing traceback

    if match_all:
        # All must hold; the rule stops firing as soon as the first window ends.
        return fired_all, {**evidence, **extra} if fired_all else {}, min(stops) if stops else None
    # Any may hold; the rule stops firing when the last firing window ends,
    # or never while a condition without a window fires.
    return fired_any, {**evidence, **extra}, None if open_ended or not stops else max(stops)


def _referenced_evidence(rule: Any, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers a broken rule refers to, for the staff looking at its error flag."""
    evidence: dict[str, Any] = {}
    try:
        for condition in rule.get("conditions") or ():
            code = condition.get("question")
            if isinstance(code, str) and code in answers:
                evidence[code] = json_value(answers[code])
    except Exception:  # the rule is already known to be broken; this is best effort
        pass
    return evidence


def _error_flag(rule: Any, error: Exception, answers: Mapping[str, Any]) -> Flag:
    is_mapping = isinstance(rule, Mapping)
    code = str(rule.get("code") or "?") if is_mapping else "?"
    message = " ".join(str(error).split()) or type(error).__name__
    revision = rule.get("revision") if is_mapping else None
    return Flag(
        rule=code,
        name=str(rule.get("name") or code) if is_mapping else code,
        severity="review",
        evidence=_referenced_evidence(rule, answers) if is_mapping else {},
        eligible_from=None,
        staff_message=f"This rule could not be checked automatically ({message}). Review these answers by hand.",
        patient_message=ERROR_PATIENT_MESSAGE,
        revision=revision if isinstance(revision, int) else None,
        error=message,
    )


def _apply_rule(rule: CompiledRule, answers: Mapping[str, Any], treatment: str, on_date: date) -> Flag | None:
    if rule.refused is not None:
        raise rule.refused.with_traceback(None)
    if rule.treatments is not None and treatment not in rule.treatments:
        return None
    fires, evidence, stops = _evaluate(rule, answers, on_date)
    if not fires:
        return None
    spec = rule.spec
    severity = spec.get("severity")
    if severity == "defer" and stops is None:
        raise RuleError("a defer rule fired without a date window, so there is no date to defer to")
    staff_message, patient_message = fill_messages(spec, answers, evidence, stops)
    return Flag(
        rule=spec["code"],
        name=spec.get("name", spec["code"]),
        severity=severity,
        evidence=evidence,
        eligible_from=stops if severity == "defer" else None,
        staff_message=staff_message,
        patient_message=patient_message,
        revision=spec.get("revision"),
    )


def screen(
    answers: Mapping[str, Any],
    *,
    rules: Sequence[Mapping[str, Any]] | CompiledRules,
    questions: Sequence[Mapping[str, Any]],
    treatment: str,
    on_date: date,
) -> ScreeningResult:
    """Screen typed answers (from ``parse_answers``) for ``treatment`` on ``on_date``.

    ``on_date`` is the appointment date, or today before one is chosen.
    ``rules`` may be compiled already (``compile_rules`` with these questions).
    The result is ``outcome_of`` the rules' flags (``rule_flags``) and the answers missing.
    """
    if isinstance(on_date, datetime):
        on_date = on_date.date()
    compiled = _compiled(rules, questions)
    hidden = hidden_codes(answers, compiled.by_code, compiled.conditional)
    missing = _missing(answers, compiled.required, hidden)
    flags = _flags(compiled, _visible(answers, hidden), treatment, on_date)
    return outcome_of(flags, missing)


def rule_flags(
    answers: Mapping[str, Any],
    *,
    rules: Sequence[Mapping[str, Any]] | CompiledRules,
    questions: Sequence[Mapping[str, Any]],
    treatment: str,
    on_date: date,
) -> list[Flag]:
    """The flags ``rules`` raise, in their order, as ``screen`` finds them: at most one a rule, each rule
    judged on its own (so the flags of a rule set are those of its rules, however they are grouped)."""
    if isinstance(on_date, datetime):
        on_date = on_date.date()
    compiled = _compiled(rules, questions)
    hidden = hidden_codes(answers, compiled.by_code, compiled.conditional)
    return _flags(compiled, _visible(answers, hidden), treatment, on_date)


def _compiled(rules: Sequence[Mapping[str, Any]] | CompiledRules,
              questions: Sequence[Mapping[str, Any]]) -> CompiledRules:
    if not isinstance(rules, CompiledRules):
        return compile_rules(rules, questions)
    if rules.questions is not questions:
        raise ValueError("the rules were compiled against other questions than these")
    return rules


def _visible(answers: Mapping[str, Any], hidden: set[str]) -> Mapping[str, Any]:
    # Answers to hidden questions are stale (the patient changed their mind
    # upstream): they are neither required nor read by rules.
    return {code: value for code, value in answers.items() if code not in hidden} if hidden else answers


def _missing(answers: Mapping[str, Any], required: Sequence[Mapping[str, Any]], hidden: set[str]) -> list[str]:
    """The required questions, in order, that are shown but not (readably) answered."""
    missing = []
    for question in required:
        code = question["code"]
        if code not in hidden and (code not in answers or _is_unanswered(question, answers[code])):
            missing.append(code)
    return missing


def _flags(rules: CompiledRules, visible: Mapping[str, Any], treatment: str, on_date: date) -> list[Flag]:
    flags: list[Flag] = []
    for rule in rules.rules:
        try:
            flag = _apply_rule(rule, visible, treatment, on_date)
        except Exception as error:  # noqa: BLE001 - fail closed: any rule failure is a review flag
            flag = _error_flag(rule.spec, error, visible)
        if flag is not None:
            flags.append(flag)
    return flags


def outcome_of(flags: Sequence[Flag], missing: Sequence[str]) -> ScreeningResult:
    """The outcome of a screening from its flags and the answers missing."""
    blocked = reviewed = False
    defer_dates: list[date] = []
    for flag in flags:
        if flag.severity == "block":
            blocked = True
        elif flag.severity == "review":
            reviewed = True
        elif flag.severity == "defer" and flag.eligible_from is not None:
            defer_dates.append(flag.eligible_from)
    latest = max(defer_dates) if defer_dates else None
    missing, flags = list(missing), list(flags)

    if blocked:
        return ScreeningResult(NOT_SUITABLE, None, missing, flags)
    if missing:
        return ScreeningResult(INCOMPLETE, None, missing, flags)
    if reviewed:
        # A held slot must still respect the defer dates.
        return ScreeningResult(REVIEW, latest, missing, flags)
    if defer_dates:
        return ScreeningResult(DEFERRED, latest, missing, flags)
    return ScreeningResult(ELIGIBLE, None, missing, flags)


def screen_answers(
    answers: Mapping[str, Any],
    *,
    rules: Sequence[Mapping[str, Any]] | CompiledRules,
    questions: Sequence[Mapping[str, Any]],
    treatment: str,
    on_date: date,
    today: date | None = None,
) -> ScreeningResult:
    """Screen JSON answers as stored, failing closed: the one entry point for what patients answered.

    An answer the engine cannot read is left out (``readable_answers``), so
    it counts as missing: a required one makes the outcome ``incomplete``,
    never ``eligible``. ``today`` is the date a "last time" answer may not be
    after (``on_date`` unless given: a booking checks a later date than today).
    """
    if isinstance(on_date, datetime):
        on_date = on_date.date()
    typed = readable_answers(answers, questions, today=on_date if today is None else today)
    return screen(typed, rules=rules, questions=questions, treatment=treatment, on_date=on_date)
