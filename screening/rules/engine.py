"""Screening: typed answers + rules + treatment + appointment date -> outcome and flags.

Pure Python over plain data (see docs/engine-contract.md). The engine fails
closed: a rule it cannot evaluate becomes a ``review`` flag carrying an
``error``, an answer it cannot read counts as missing when the question is
required, so neither can ever yield ``eligible``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from .answers import json_value
from .constants import (
    DEFERRED,
    ELIGIBLE,
    INCOMPLETE,
    NOT_SUITABLE,
    OPERATORS,
    REVIEW,
    SEVERITIES,
)

__all__ = ["Flag", "ScreeningResult", "RuleError", "screen"]

#: Patient-facing text of a flag whose rule could not be evaluated.
ERROR_PATIENT_MESSAGE = (
    "One of our clinicians will look over your answers before your appointment is confirmed."
)


class RuleError(Exception):
    """A rule that cannot be evaluated: unknown operator or question, bad value, unreadable answer."""


@dataclass(frozen=True)
class Flag:
    rule: str
    name: str
    severity: str
    evidence: dict[str, Any]
    eligible_from: date | None
    staff_message: str
    patient_message: str
    revision: int | None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["eligible_from"] = self.eligible_from.isoformat() if self.eligible_from else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        """Rebuild a flag from ``to_dict()`` output (a stored snapshot)."""
        raw_date = data.get("eligible_from")
        return cls(
            rule=data["rule"],
            name=data.get("name", ""),
            severity=data["severity"],
            evidence=dict(data.get("evidence") or {}),
            eligible_from=date.fromisoformat(raw_date) if raw_date else None,
            staff_message=data.get("staff_message", ""),
            patient_message=data.get("patient_message", ""),
            revision=data.get("revision"),
            error=data.get("error"),
        )


@dataclass(frozen=True)
class ScreeningResult:
    outcome: str
    eligible_from: date | None
    missing: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``manage.py screen`` (dates as ISO strings)."""
        return {
            "outcome": self.outcome,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "missing": list(self.missing),
            "flags": [flag.to_dict() for flag in self.flags],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScreeningResult:
        raw_date = data.get("eligible_from")
        return cls(
            outcome=data["outcome"],
            eligible_from=date.fromisoformat(raw_date) if raw_date else None,
            missing=list(data.get("missing") or []),
            flags=[Flag.from_dict(flag) for flag in data.get("flags") or []],
        )


# --- operators -------------------------------------------------------------
# Each takes (answer, value, question code, on_date) and returns
# (fires, date it stops firing or None). The answer is never absent here;
# it may be None only for date questions ("never").

ConditionResult = tuple[bool, "date | None"]
Operator = Callable[[Any, Any, str, date], ConditionResult]


def _bool_answer(answer: Any, code: str) -> bool:
    if not isinstance(answer, bool):
        raise RuleError(f"answer to {code} is not true/false: {answer!r}")
    return answer


def _date_answer(answer: Any, code: str) -> date:
    if isinstance(answer, datetime):
        return answer.date()
    if not isinstance(answer, date):
        raise RuleError(f"answer to {code} is not a date: {answer!r}")
    return answer


def _str_answer(answer: Any, code: str) -> str:
    if not isinstance(answer, str):
        raise RuleError(f"answer to {code} is not text: {answer!r}")
    return answer


def _window(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleError(f"window must be a whole number of days/years >= 0, not {value!r}")
    return value


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"{what} is not a number: {value!r}")
    return value


def _op_is_true(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return _bool_answer(answer, code) is True, None


def _op_is_false(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return _bool_answer(answer, code) is False, None


def _same_kind(answer: Any, value: Any, code: str) -> None:
    # bool is an int: compare kinds strictly so True never equals 1 or "true".
    if isinstance(answer, bool):
        if not isinstance(value, bool):
            raise RuleError(f"value {value!r} cannot be compared with the true/false answer to {code}")
    elif isinstance(answer, str):
        if not isinstance(value, str):
            raise RuleError(f"value {value!r} cannot be compared with the text answer to {code}")
    else:
        raise RuleError(f"answer to {code} is neither true/false nor text: {answer!r}")


def _op_equals(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    _same_kind(answer, value, code)
    return answer == value, None


def _op_not_equals(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    _same_kind(answer, value, code)
    return answer != value, None


def _list_value(value: Any) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise RuleError(f"value must be a non-empty list, not {value!r}")
    return value


def _op_in(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return _str_answer(answer, code) in _list_value(value), None


def _op_contains_any(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(item, str) for item in answer):
        raise RuleError(f"answer to {code} is not a list of choices: {answer!r}")
    wanted = _list_value(value)
    return any(item in wanted for item in answer), None


def _op_within_days(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    days = _window(value)
    if answer is None:  # "never"
        return False, None
    stops = _date_answer(answer, code) + timedelta(days=days)
    return on_date < stops, stops


def add_years(day: date, years: int) -> date:
    """``day`` moved ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _op_age_under(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    years = _window(value)
    if answer is None:
        # An unknown birth date cannot prove the patient old enough.
        raise RuleError(f"no date given for {code}, so the age cannot be checked")
    birthday = add_years(_date_answer(answer, code), years)
    return on_date < birthday, birthday


def _comparison(compare: Callable[[float, float], bool]) -> Operator:
    def op(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
        return compare(_number(answer, f"answer to {code}"), _number(value, "value")), None

    return op


_OPERATOR_FUNCTIONS: dict[str, Operator] = {
    "is_true": _op_is_true,
    "is_false": _op_is_false,
    "equals": _op_equals,
    "not_equals": _op_not_equals,
    "in": _op_in,
    "contains_any": _op_contains_any,
    "within_days": _op_within_days,
    "age_under": _op_age_under,
    "gt": _comparison(lambda a, b: a > b),
    "gte": _comparison(lambda a, b: a >= b),
    "lt": _comparison(lambda a, b: a < b),
    "lte": _comparison(lambda a, b: a <= b),
}
# Operator -> (function, question types it fits); one lookup per condition.
_OPERATOR_TABLE: dict[str, tuple[Operator, frozenset[str]]] = {
    op: (_OPERATOR_FUNCTIONS[op], types) for op, types in OPERATORS.items()
}


# --- visibility and completeness ---------------------------------------------


def _hidden_codes(
    answers: Mapping[str, Any], questions: Sequence[Mapping[str, Any]], by_code: Mapping[str, Mapping[str, Any]]
) -> set[str]:
    """Codes of questions whose ``show_when`` is not satisfied (their answers are ignored)."""
    hidden: set[str] = set()
    for question in questions:
        if question.get("show_when") and not _is_shown(question, answers, by_code, 0):
            hidden.add(question["code"])
    return hidden


def _is_shown(
    question: Mapping[str, Any], answers: Mapping[str, Any], by_code: Mapping[str, Mapping[str, Any]], depth: int
) -> bool:
    condition = question.get("show_when")
    if not condition:
        return True
    # A malformed, dangling or circular show_when shows the question: asking
    # too much is safe, silently skipping a required question is not.
    if not isinstance(condition, Mapping) or depth > len(by_code):
        return True
    parent = by_code.get(condition.get("question"))  # type: ignore[arg-type]
    if parent is None:
        return True
    parent_code = parent["code"]
    if parent_code not in answers:
        return False
    answer = answers[parent_code]
    wanted = condition.get("value")
    if isinstance(answer, list):
        matches = wanted in answer
    else:
        matches = answer == wanted and type(answer) is type(wanted)
    return matches and _is_shown(parent, answers, by_code, depth + 1)


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
    rule: Mapping[str, Any], answers: Mapping[str, Any], by_code: Mapping[str, Mapping[str, Any]], on_date: date
) -> tuple[bool, dict[str, Any], date | None]:
    """(fires, evidence, date it stops firing) for one rule; RuleError if it cannot be evaluated."""
    match = rule.get("match", "all")
    if match not in ("all", "any"):
        raise RuleError(f"unknown match {match!r}")
    conditions = rule.get("conditions")
    if not isinstance(conditions, (list, tuple)) or not conditions:
        raise RuleError("rule has no conditions")

    # Every condition is evaluated, even when the result is already known, so
    # that a broken condition is reported rather than hidden by a short circuit.
    fired_all = True
    fired_any = False
    open_ended = False  # under "any": a firing condition without an end date
    evidence: dict[str, Any] = {}
    stops: list[date] = []
    for condition in conditions:
        if not isinstance(condition, Mapping):
            raise RuleError(f"condition is not an object: {condition!r}")
        code = condition.get("question")
        question = by_code.get(code)  # type: ignore[arg-type]
        if question is None:
            raise RuleError(f"unknown question {code!r}")
        op = condition.get("op")
        entry = _OPERATOR_TABLE.get(op)  # type: ignore[arg-type]
        if entry is None:
            raise RuleError(f"unknown operator {op!r}")
        function, types = entry
        if question.get("type") not in types:
            raise RuleError(f"operator {op!r} does not fit the {question.get('type')} question {code!r}")
        if code not in answers:
            fires, stop = False, None  # conditions over an absent answer do not fire
        else:
            answer = answers[code]
            if answer is None and question.get("type") != "date":
                fires, stop = False, None  # not answered yet
            else:
                fires, stop = function(answer, condition.get("value"), code, on_date)
        if fires:
            fired_any = True
            evidence[code] = json_value(answers[code])
            if stop is None:
                open_ended = True
            elif match == "any":
                stops.append(stop)
        else:
            fired_all = False
        if match == "all" and stop is not None:
            stops.append(stop)

    if match == "all":
        # All must hold; the rule stops firing as soon as the first window ends.
        return fired_all, evidence if fired_all else {}, min(stops) if stops else None
    # Any may hold; the rule stops firing when the last firing window ends,
    # or never while a condition without a window fires.
    return fired_any, evidence, None if open_ended or not stops else max(stops)


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


def _apply_rule(
    rule: Mapping[str, Any],
    answers: Mapping[str, Any],
    by_code: Mapping[str, Mapping[str, Any]],
    treatment: str,
    on_date: date,
) -> Flag | None:
    treatments = rule.get("treatments") or ()
    if not isinstance(treatments, (list, tuple, set, frozenset)):
        # A bare string would make "face" in "surface" true: refuse it.
        raise RuleError(f"treatments must be a list, not {treatments!r}")
    if treatments and treatment not in treatments:
        return None
    severity = rule.get("severity")
    if severity not in SEVERITIES:
        raise RuleError(f"unknown severity {severity!r}")
    fires, evidence, stops = _evaluate(rule, answers, by_code, on_date)
    if not fires:
        return None
    if severity == "defer" and stops is None:
        raise RuleError("a defer rule fired without a date window, so there is no date to defer to")
    return Flag(
        rule=rule["code"],
        name=rule.get("name", rule["code"]),
        severity=severity,
        evidence=evidence,
        eligible_from=stops if severity == "defer" else None,
        staff_message=rule.get("staff_message", ""),
        patient_message=rule.get("patient_message", ""),
        revision=rule.get("revision"),
    )


def screen(
    answers: Mapping[str, Any],
    *,
    rules: Sequence[Mapping[str, Any]],
    questions: Sequence[Mapping[str, Any]],
    treatment: str,
    on_date: date,
) -> ScreeningResult:
    """Screen typed answers (from ``parse_answers``) for ``treatment`` on ``on_date``.

    ``on_date`` is the appointment date, or today before one is chosen.
    """
    if isinstance(on_date, datetime):
        on_date = on_date.date()
    by_code = {question["code"]: question for question in questions}
    hidden = _hidden_codes(answers, questions, by_code)
    # Answers to hidden questions are stale (the patient changed their mind
    # upstream): they are neither required nor read by rules.
    visible = {code: value for code, value in answers.items() if code not in hidden} if hidden else answers

    missing = [
        question["code"]
        for question in questions
        if question.get("required")
        and question["code"] not in hidden
        and (question["code"] not in answers or _is_unanswered(question, answers[question["code"]]))
    ]

    flags: list[Flag] = []
    for rule in rules:
        try:
            flag = _apply_rule(rule, visible, by_code, treatment, on_date)
        except Exception as error:  # noqa: BLE001 - fail closed: any rule failure is a review flag
            flag = _error_flag(rule, error, visible)
        if flag is not None:
            flags.append(flag)

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
