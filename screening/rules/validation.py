"""Checking a rule against the questionnaire before an admin saves it.

The engine already fails closed on a broken rule (a ``review`` flag with an
error); this is the kind message first, so the broken rule is never published.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .constants import MATCH_MODES, SEVERITIES
from .messages import message_problems
from .operators import OPERATORS, Operator

__all__ = ["validate_rule"]


def _value_problem(operator: Operator, value: Any, question: Mapping[str, Any]) -> str | None:
    op, kind = operator.code, operator.value
    qtype = question.get("type")
    choices = question.get("choices")
    if kind == "none":
        return None if value is None else f"the operator {op!r} takes no value"
    if kind == "terms":
        # Stored without one: the clinic's list is filled in when the rules are read (a list of terms).
        if value is None or (isinstance(value, (list, tuple)) and all(isinstance(t, Mapping) for t in value)):
            return None
        return f"the operator {op!r} takes no value (it reads the clinic's medicine list)"
    if kind == "window":
        if value is None:
            return f"the operator {op!r} needs a window: a number of {operator.unit}"
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"the window must be a whole number, 0 or more, not {value!r}"
        return None
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"the operator {op!r} needs a number, not {value!r}"
        return None
    if kind == "scalar":
        if qtype == "yes_no":
            return None if isinstance(value, bool) else "the value must be true or false"
        if not isinstance(value, str):
            return "the value must be text"
        if qtype == "choice" and choices is not None and value not in choices:
            return f"{value!r} is not one of the choices of {question['code']!r}"
        return None
    # kind == "list"
    if not isinstance(value, (list, tuple)) or not value:
        return f"the operator {op!r} needs a non-empty list of choices"
    for item in value:
        if not isinstance(item, str):
            return f"the choices must be text, not {item!r}"
        if choices is not None and item not in choices:
            return f"{item!r} is not one of the choices of {question['code']!r}"
    return None


def validate_rule(rule: Mapping[str, Any], questions: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Problems with ``rule`` as (field, message) pairs; an empty list means it is usable.

    Fields are the rule spec's keys (``conditions`` for any condition problem,
    with the condition's number in the message), so a form can attach them.
    """
    errors: list[tuple[str, str]] = []
    by_code = {q["code"]: q for q in questions}

    if not str(rule.get("code") or "").strip():
        errors.append(("code", "A rule needs a code."))
    severity = rule.get("severity")
    if severity not in SEVERITIES:
        errors.append(("severity", f"Severity must be one of {', '.join(SEVERITIES)}."))
    match = rule.get("match", "all")
    if match not in MATCH_MODES:
        errors.append(("match", "Match must be 'all' or 'any'."))
    treatments = rule.get("treatments") or []
    if not isinstance(treatments, (list, tuple)) or not all(isinstance(t, str) for t in treatments):
        errors.append(("treatments", "Treatments must be a list of treatment codes (empty for all)."))
    if not str(rule.get("patient_message") or "").strip():
        errors.append(("patient_message", "Write the message the patient will see."))
    if not str(rule.get("staff_message") or "").strip():
        errors.append(("staff_message", "Write the message staff will see."))
    errors.extend(message_problems(rule))

    conditions = rule.get("conditions")
    if not isinstance(conditions, (list, tuple)) or not conditions:
        errors.append(("conditions", "A rule needs at least one condition."))
        return errors

    has_window = False
    for number, condition in enumerate(conditions, start=1):
        prefix = f"Condition {number}: "
        if not isinstance(condition, Mapping):
            errors.append(("conditions", prefix + "must be an object with question, op and value."))
            continue
        code = condition.get("question")
        question = by_code.get(code)  # type: ignore[arg-type]
        if question is None:
            errors.append(("conditions", prefix + f"unknown question {code!r}."))
            continue
        op = condition.get("op")
        operator = OPERATORS.get(op)  # type: ignore[arg-type]
        if operator is None:
            errors.append(("conditions", prefix + f"unknown operator {op!r}."))
            continue
        if question.get("type") not in operator.fits:
            fits = ", ".join(sorted(operator.fits))
            errors.append(
                (
                    "conditions",
                    prefix + f"the operator {op!r} does not fit the {question.get('type')} question "
                    f"{code!r} (it fits: {fits}).",
                )
            )
            continue
        problem = _value_problem(operator, condition.get("value"), question)
        if problem:
            errors.append(("conditions", prefix + problem + "."))
        if operator.has_window:
            has_window = True

    if severity == "defer" and not has_window:
        windows = " or ".join(op.code for op in OPERATORS.values() if op.has_window)
        errors.append(
            ("conditions", f"A defer rule needs a date window ({windows}) to give a date to defer to.")
        )
    elif severity == "defer" and match == "any" and not all(
        isinstance(c, Mapping) and c.get("op") in OPERATORS and OPERATORS[c["op"]].has_window for c in conditions
    ):
        errors.append(
            ("conditions", "Under 'any', every condition of a defer rule needs a date window, or it may never end.")
        )
    return errors
