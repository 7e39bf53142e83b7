"""Rules made ready to evaluate: each condition's operator and question resolved once.

``compile_rules`` reads a rule set (plain data, docs/engine-contract.md)
against the questions once: for every condition, the operator's test
function from the registry (``OPERATORS``) and whether its question is a
date. ``screen`` evaluates compiled rules; given plain rules, it compiles
them first. A caller that screens many answers with one rule set (the
what-if preview, a re-screen of many intakes) compiles once and passes the
result as ``rules``.

Compiling never fails. What makes a rule impossible to evaluate (not a rule
at all, an unknown operator or question, an operator that does not fit its
question...) is kept with the rule and raised when the rule is evaluated,
where the engine would have met it, so it still fails closed with the same
error flag.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple

from .constants import SEVERITIES
from .operators import OPERATORS, OperatorTest, RuleError, prepare_terms

__all__ = ["CompiledCondition", "CompiledRule", "CompiledRules", "compile_rules"]


class CompiledCondition(NamedTuple):
    code: str
    test: OperatorTest
    value: Any
    #: A date question's answer may be None ("never") and is still tested; any other None is "not answered".
    tests_none: bool


class CompiledRule(NamedTuple):
    #: The rule as given: its code, name, severity, messages and revision make its flag.
    spec: Any
    #: None: every treatment.
    treatments: Collection[str] | None
    match_all: bool
    #: The conditions that can be evaluated, in order, up to the first that cannot.
    conditions: tuple[CompiledCondition, ...]
    #: Raised before anything else: not a rule, or treatments that are not a list.
    refused: Exception | None = None
    #: Raised for a rule of this treatment once ``conditions`` are evaluated: a bad severity, match or
    #: condition (where it stands among the conditions: one before it may fail first on its answer).
    broken: Exception | None = None


class CompiledRules(NamedTuple):
    """A rule set compiled against ``questions`` (``screen`` must be given the same questions)."""

    rules: tuple[CompiledRule, ...]
    questions: Sequence[Mapping[str, Any]]
    #: The questions by code, the codes of those shown only on a condition (show-when), the required ones.
    by_code: Mapping[str, Mapping[str, Any]]
    conditional: tuple[str, ...]
    required: tuple[Mapping[str, Any], ...]


def compile_rules(rules: Sequence[Any], questions: Sequence[Mapping[str, Any]]) -> CompiledRules:
    by_code = {question["code"]: question for question in questions}
    conditional = tuple(code for code, question in by_code.items() if question.get("show_when"))
    required = tuple(question for question in questions if question.get("required"))
    return CompiledRules(tuple(compile_rule(rule, by_code) for rule in rules), questions, by_code, conditional,
                         required)


def compile_rule(rule: Any, by_code: Mapping[str, Mapping[str, Any]]) -> CompiledRule:
    """One rule, checked in the order the engine evaluates it (see ``engine._apply_rule``)."""
    try:
        treatments = rule.get("treatments") or ()
        if not isinstance(treatments, (list, tuple, set, frozenset)):
            # A bare string would make "face" in "surface" true: refuse it.
            raise RuleError(f"treatments must be a list, not {treatments!r}")
    except Exception as error:  # noqa: BLE001 - not a rule: every screening flags it
        return CompiledRule(rule, None, True, (), refused=error)
    match = rule.get("match", "all")
    conditions: list[CompiledCondition] = []
    broken = None
    try:
        severity = rule.get("severity")
        if severity not in SEVERITIES:
            raise RuleError(f"unknown severity {severity!r}")
        if match not in ("all", "any"):
            raise RuleError(f"unknown match {match!r}")
        raw = rule.get("conditions")
        if not isinstance(raw, (list, tuple)) or not raw:
            raise RuleError("rule has no conditions")
        for condition in raw:
            conditions.append(_compile_condition(condition, by_code))
    except Exception as error:  # noqa: BLE001 - raised when the rule is evaluated
        broken = error
    return CompiledRule(rule, treatments or None, match == "all", tuple(conditions), broken=broken)


def _compile_condition(condition: Any, by_code: Mapping[str, Mapping[str, Any]]) -> CompiledCondition:
    if not isinstance(condition, Mapping):
        raise RuleError(f"condition is not an object: {condition!r}")
    code = condition.get("question")
    question = by_code.get(code)  # type: ignore[arg-type]
    if question is None:
        raise RuleError(f"unknown question {code!r}")
    op = condition.get("op")
    operator = OPERATORS.get(op)  # type: ignore[arg-type]
    if operator is None:
        raise RuleError(f"unknown operator {op!r}")
    kind = question.get("type")
    if kind not in operator.fits:
        raise RuleError(f"operator {op!r} does not fit the {kind} question {code!r}")
    value = condition.get("value")
    if operator.value == "terms":
        value = prepare_terms(value)  # the medicine list indexed once, not for every answer read
    return CompiledCondition(code, operator.test, value, kind == "date")
