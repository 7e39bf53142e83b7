"""A rule's definition as plain data, and the words the admin uses for question types.

A *definition* is what an admin edits and what a revision freezes: the
engine's rule spec (docs/engine-contract.md) without ``revision``, plus
``examples`` and ``active``. Nothing here imports Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from screening.rules import OPERATORS

#: The keys of a definition, in the order exports write them.
RULE_FIELDS: tuple[str, ...] = (
    "code",
    "name",
    "severity",
    "treatments",
    "match",
    "conditions",
    "staff_message",
    "patient_message",
    "examples",
    "active",
)

TYPE_LABELS: dict[str, str] = {
    "yes_no": "Yes / no",
    "date": "Date",
    "choice": "One choice",
    "multi": "Several choices",
    "text": "Text",
    "number": "Number",
}


def parse_value_text(text: str, op: str, question_type: str) -> Any:
    """The typed value of a condition from what the admin typed; ValueError with a message.

    Problems the engine's ``validate_rule`` also names (a missing window, an
    unknown choice) are left to it, so the admin reads one wording.
    """
    text = (text or "").strip()
    operator = OPERATORS.get(op)
    kind = operator.value if operator else None
    if kind in ("none", "terms"):  # terms: the clinic's medicine list is filled in when the rules are read
        if text:
            raise ValueError(f"“{operator.label}” takes no value: leave this empty.")
        return None
    if not text:
        return None  # validate_rule names what is missing
    if kind == "window":
        if not text.isascii() or not text.isdigit():
            raise ValueError(f"Give a whole number of {operator.unit}, such as 14.")
        return int(text)
    if kind == "number":
        try:
            return int(text) if text.lstrip("-").isdigit() else float(text)
        except ValueError:
            raise ValueError("Give a number, such as 7.5.") from None
    if kind == "scalar":
        if question_type == "yes_no":
            lowered = text.lower()
            if lowered in ("yes", "true"):
                return True
            if lowered in ("no", "false"):
                return False
            raise ValueError("Give yes or no.")
        return text
    # kind == "list"
    return [item.strip() for item in text.split(",") if item.strip()]


def format_value_text(value: Any) -> str:
    """The inverse of ``parse_value_text``, for showing a stored value in a form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)


def describe_condition(condition: Mapping[str, Any]) -> str:
    """One line for people: ``isotretinoin_last_taken within 183 days before the appointment``."""
    op = condition.get("op", "")
    operator = OPERATORS.get(op)
    value = condition.get("value")
    if operator is not None and operator.phrase(value) != operator.label:
        return f"{condition.get('question')} {operator.phrase(value)}"
    shown = format_value_text(value)
    return f"{condition.get('question')} {operator.label if operator else op}{' ' + shown if shown else ''}"


def normalize_definition(data: Mapping[str, Any]) -> dict[str, Any]:
    """A definition with every key, in order, and fresh lists (safe to compare and store)."""
    return {
        "code": data.get("code", ""),
        "name": data.get("name", ""),
        "severity": data.get("severity", ""),
        "treatments": list(data.get("treatments") or []),
        "match": data.get("match", "all"),
        "conditions": [dict(c) if isinstance(c, Mapping) else c for c in data.get("conditions") or []],
        "staff_message": data.get("staff_message", ""),
        "patient_message": data.get("patient_message", ""),
        "examples": [dict(e) if isinstance(e, Mapping) else e for e in data.get("examples") or []],
        "active": data.get("active", True),
    }


def engine_spec(definition: Mapping[str, Any], revision: int | None) -> dict[str, Any]:
    """The rule spec the engine reads, from a definition."""
    return {
        "code": definition["code"],
        "name": definition.get("name") or definition["code"],
        "severity": definition.get("severity"),
        "treatments": list(definition.get("treatments") or []),
        "match": definition.get("match", "all"),
        "conditions": list(definition.get("conditions") or []),
        "staff_message": definition.get("staff_message", ""),
        "patient_message": definition.get("patient_message", ""),
        "revision": revision,
    }


def with_definition(
    rules: Sequence[Mapping[str, Any]], definition: Mapping[str, Any], revision: int | None = None
) -> list[dict[str, Any]]:
    """The active rule specs as they would be with ``definition`` published.

    Replaces the rule of the same code (keeping its place), adds a new one at
    the end, or removes it when the definition retires it.
    """
    code = definition["code"]
    replacement = [engine_spec(definition, revision)] if definition.get("active", True) else []
    result: list[dict[str, Any]] = []
    replaced = False
    for rule in rules:
        if rule.get("code") == code:
            result.extend(replacement)
            replaced = True
        else:
            result.append(dict(rule))
    if not replaced:
        result.extend(replacement)
    return result


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str] = RULE_FIELDS
) -> list[str]:
    """The definition keys whose values differ."""
    a, b = normalize_definition(before), normalize_definition(after)
    return [name for name in fields if a.get(name) != b.get(name)]
