"""The screening rules engine: pure Python over plain data, no Django.

See docs/engine-contract.md for the question, rule and result formats.
"""

from .answers import AnswerError, answers_to_json, json_value, parse_answers
from .constants import (
    DEFERRED,
    ELIGIBLE,
    INCOMPLETE,
    MATCH_MODES,
    NOT_SUITABLE,
    OPERATOR_VALUE_KIND,
    OPERATORS,
    OUTCOME_RANK,
    OUTCOMES,
    QUESTION_TYPES,
    REVIEW,
    SEVERITIES,
    SEVERITY_OUTCOME,
    WINDOW_OPERATORS,
)
from .engine import Flag, RuleError, ScreeningResult, screen
from .validation import validate_rule

__all__ = [
    "AnswerError",
    "DEFERRED",
    "ELIGIBLE",
    "Flag",
    "INCOMPLETE",
    "MATCH_MODES",
    "NOT_SUITABLE",
    "OPERATORS",
    "OPERATOR_VALUE_KIND",
    "OUTCOMES",
    "OUTCOME_RANK",
    "QUESTION_TYPES",
    "REVIEW",
    "RuleError",
    "SEVERITIES",
    "SEVERITY_OUTCOME",
    "ScreeningResult",
    "WINDOW_OPERATORS",
    "answers_to_json",
    "json_value",
    "parse_answers",
    "screen",
    "validate_rule",
]
