"""The screening rules engine: pure Python over plain data, no Django.

See docs/engine-contract.md for the question, rule and result formats. What
callers use:

- ``screen_answers``: screen answers as stored (JSON), failing closed;
- ``compile_rules``: a rule set made ready once, for screening many answers with it;
- ``OPERATORS``: the operator registry (the engine, validation and the admin read it);
- ``is_shown`` / ``hidden_codes``: show-when, for the engine, the intake form and its page;
- ``validate_rule``: a rule checked against the questionnaire before it is saved.
"""

from .answers import (
    FIRST_YEAR,
    AnswerError,
    DuplicateKeyError,
    MonthAnswer,
    answers_to_json,
    json_value,
    loads_strict,
    parse_answers,
    readable_answers,
)
from .compiled import CompiledRules, compile_rules
from .constants import (
    DEFERRED,
    ELIGIBLE,
    INCOMPLETE,
    MATCH_MODES,
    NOT_SUITABLE,
    OUTCOME_RANK,
    OUTCOMES,
    QUESTION_TYPES,
    REVIEW,
    SEVERITIES,
    SEVERITY_OUTCOME,
)
from .default_terms import DEFAULT_TERMS, TERM_CLASSES
from .engine import outcome_of, rule_flags, screen, screen_answers
from .messages import (
    PLACEHOLDERS,
    fill_messages,
    fill_text,
    format_day,
    message_problems,
    placeholder_values,
    window_words,
)
from .operators import NOT_SURE, OPERATORS, VALUE_KINDS, Operator, RuleError, add_years
from .precare import PreCare, pre_care
from .results import Flag, ScreeningResult
from .validation import validate_rule
from .visibility import hidden_codes, is_shown
from .vocabulary import Match, find_terms

__all__ = [
    "PreCare",
    "pre_care",
    "AnswerError",
    "CompiledRules",
    "DEFAULT_TERMS",
    "DuplicateKeyError",
    "FIRST_YEAR",
    "Match",
    "MonthAnswer",
    "NOT_SURE",
    "PLACEHOLDERS",
    "TERM_CLASSES",
    "fill_messages",
    "fill_text",
    "find_terms",
    "format_day",
    "placeholder_values",
    "loads_strict",
    "message_problems",
    "window_words",
    "DEFERRED",
    "ELIGIBLE",
    "Flag",
    "INCOMPLETE",
    "MATCH_MODES",
    "NOT_SUITABLE",
    "OPERATORS",
    "OUTCOMES",
    "OUTCOME_RANK",
    "Operator",
    "QUESTION_TYPES",
    "REVIEW",
    "RuleError",
    "SEVERITIES",
    "SEVERITY_OUTCOME",
    "ScreeningResult",
    "VALUE_KINDS",
    "add_years",
    "answers_to_json",
    "compile_rules",
    "hidden_codes",
    "is_shown",
    "json_value",
    "outcome_of",
    "parse_answers",
    "readable_answers",
    "rule_flags",
    "screen",
    "screen_answers",
    "validate_rule",
]
