"""Vocabulary of the rules engine: question types, operators, severities, outcomes.

Kept apart from the engine so the admin (forms, validation) can import the
vocabulary without pulling in evaluation code. Nothing here imports Django.
"""

from __future__ import annotations

from typing import Final

QUESTION_TYPES: Final[tuple[str, ...]] = ("yes_no", "date", "choice", "multi", "text")

#: Strongest first. ``info`` is shown to the practitioner and changes nothing.
SEVERITIES: Final[tuple[str, ...]] = ("block", "review", "defer", "info")

#: Outcomes of a screening, strongest first (the order is the contract).
NOT_SUITABLE: Final = "not_suitable"
INCOMPLETE: Final = "incomplete"
REVIEW: Final = "review"
DEFERRED: Final = "deferred"
ELIGIBLE: Final = "eligible"
OUTCOMES: Final[tuple[str, ...]] = (NOT_SUITABLE, INCOMPLETE, REVIEW, DEFERRED, ELIGIBLE)

#: Rank of an outcome: lower is stronger. ``OUTCOME_RANK["review"] < OUTCOME_RANK["eligible"]``.
OUTCOME_RANK: Final[dict[str, int]] = {outcome: rank for rank, outcome in enumerate(OUTCOMES)}

#: The outcome a firing flag of each severity leads to (``info`` leads nowhere).
SEVERITY_OUTCOME: Final[dict[str, str | None]] = {
    "block": NOT_SUITABLE,
    "review": REVIEW,
    "defer": DEFERRED,
    "info": None,
}

MATCH_MODES: Final[tuple[str, ...]] = ("all", "any")

#: Operator -> the question types it fits. ``number`` is not a question type
#: yet; the comparison operators are reserved for it.
OPERATORS: Final[dict[str, frozenset[str]]] = {
    "is_true": frozenset({"yes_no"}),
    "is_false": frozenset({"yes_no"}),
    "equals": frozenset({"yes_no", "choice", "text"}),
    "not_equals": frozenset({"yes_no", "choice", "text"}),
    "in": frozenset({"choice"}),
    "contains_any": frozenset({"multi"}),
    "within_days": frozenset({"date"}),
    "age_under": frozenset({"date"}),
    "gt": frozenset({"number"}),
    "gte": frozenset({"number"}),
    "lt": frozenset({"number"}),
    "lte": frozenset({"number"}),
}

#: What the ``value`` of a condition must be, per operator.
#: none: no value; scalar: one answer-typed value; list: a non-empty list of
#: answer-typed values; window: a whole number >= 0 (days or years);
#: number: an int or float.
OPERATOR_VALUE_KIND: Final[dict[str, str]] = {
    "is_true": "none",
    "is_false": "none",
    "equals": "scalar",
    "not_equals": "scalar",
    "in": "list",
    "contains_any": "list",
    "within_days": "window",
    "age_under": "window",
    "gt": "number",
    "gte": "number",
    "lt": "number",
    "lte": "number",
}

#: Operators that carry the date on which they stop firing.
WINDOW_OPERATORS: Final[frozenset[str]] = frozenset({"within_days", "age_under"})
