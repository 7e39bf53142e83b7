"""Vocabulary of the rules engine: question types, severities, outcomes, match modes.

The operators are in ``operators.py`` (one registry). Nothing here imports Django.
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
