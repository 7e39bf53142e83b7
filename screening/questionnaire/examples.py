"""Checking a rule's examples: answer sets with the outcome the rule set must give.

An example names only the answers that matter; they are laid over a
complete, clean set of answers (``neutral_answers``) and screened by the
whole rule set, as the intake would be. Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from screening.questionnaire.defaults import baseline_answers
from screening.rules import OUTCOMES, AnswerError, add_years, parse_answers, screen

__all__ = ["ExampleResult", "example_problem", "neutral_answers", "run_examples"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    number: int
    example: dict[str, Any]
    outcome: str | None = None
    eligible_from: str | None = None
    fired: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def passed(self) -> bool:
        return not self.problem

    def describe(self) -> str:
        """``ACNE example 2: expected eligible, got not_suitable`` for a message."""
        return f"{self.rule} example {self.number}: {self.problem}"


def _fits(question: Mapping[str, Any], value: Any) -> bool:
    kind = question.get("type")
    choices = question.get("choices") or []
    if kind == "yes_no":
        return isinstance(value, bool) and (value or not question.get("must_be_true"))
    if kind == "date":
        return value is None and question.get("nullable", True) is not False or isinstance(value, date)
    if kind == "choice":
        return isinstance(value, str) and (not choices or value in choices)
    if kind == "multi":
        return isinstance(value, list) and all(item in choices for item in value)
    if kind == "text":
        return isinstance(value, str)
    return False


def _filler(question: Mapping[str, Any], on_date: date) -> Any:
    kind = question.get("type")
    choices = question.get("choices") or []
    if kind == "yes_no":
        return bool(question.get("must_be_true"))
    if kind == "date":
        return None if question.get("nullable", True) is not False else add_years(on_date, -35)
    if kind == "choice":
        return choices[0] if choices else ""
    if kind == "multi":
        return choices[:1]
    return "Example"


def neutral_answers(questions: Sequence[Mapping[str, Any]], on_date: date) -> dict[str, Any]:
    """A complete set of typed answers that no default rule flags, for the clinic's questions.

    The default questionnaire's clean answers where they still fit; for a
    question the clinic added, "no", "never", the first choice or a word.
    """
    base = baseline_answers(on_date)
    answers: dict[str, Any] = {}
    for question in questions:
        code = question["code"]
        if code in base and _fits(question, base[code]):
            answers[code] = base[code]
        elif question.get("required"):
            answers[code] = _filler(question, on_date)
    return answers


def example_problem(example: Any, treatment_codes: Sequence[str] | None = None) -> str:
    """What is wrong with an example's shape, or ``""``."""
    if not isinstance(example, Mapping):
        return "must be an object with answers, treatment, on_date and expected"
    unknown = set(example) - {"answers", "treatment", "on_date", "expected", "eligible_from", "note"}
    if unknown:
        return f"unknown keys: {', '.join(sorted(map(str, unknown)))}"
    if not isinstance(example.get("answers"), Mapping):
        return "answers must be an object of answers by question code"
    if example.get("expected") not in OUTCOMES:
        return f"expected must be one of {', '.join(OUTCOMES)}"
    treatment = example.get("treatment")
    if not isinstance(treatment, str) or (treatment_codes is not None and treatment not in treatment_codes):
        return f"unknown treatment {treatment!r}"
    for key in ("on_date", "eligible_from"):
        raw = example.get(key)
        if key == "eligible_from" and raw is None:
            continue
        try:
            if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
                raise ValueError  # fromisoformat alone would take week dates (2027-W02-5)
            date.fromisoformat(raw)
        except ValueError:
            return f"{key} must be a date as YYYY-MM-DD, not {raw!r}"
    return ""


def run_examples(
    rule_code: str,
    examples: Sequence[Any],
    *,
    rules: Sequence[Mapping[str, Any]],
    questions: Sequence[Mapping[str, Any]],
    treatment_codes: Sequence[str] | None = None,
) -> list[ExampleResult]:
    """Screen each example with ``rules`` (the rule set as it would be) and compare."""
    results = []
    for number, example in enumerate(examples, start=1):
        problem = example_problem(example, treatment_codes)
        if problem:
            shown = dict(example) if isinstance(example, Mapping) else {}
            results.append(ExampleResult(rule_code, number, shown, problem=problem))
            continue
        results.append(_run_one(rule_code, number, dict(example), rules, questions))
    return results


def _run_one(
    rule_code: str,
    number: int,
    example: dict[str, Any],
    rules: Sequence[Mapping[str, Any]],
    questions: Sequence[Mapping[str, Any]],
) -> ExampleResult:
    on_date = date.fromisoformat(example["on_date"])
    try:
        given = parse_answers(example["answers"], questions, today=on_date)
    except AnswerError as error:
        return ExampleResult(rule_code, number, example, problem=f"answer {error}")
    answers = neutral_answers(questions, on_date) | given
    result = screen(answers, rules=rules, questions=questions, treatment=example["treatment"], on_date=on_date)
    eligible_from = result.eligible_from.isoformat() if result.eligible_from else None
    fired = [flag.rule for flag in result.flags]
    problem = ""
    if result.outcome != example["expected"]:
        got = result.outcome + (f" ({', '.join(fired)})" if fired else "")
        problem = f"expected {example['expected']}, got {got}"
    elif example.get("eligible_from") and example["eligible_from"] != eligible_from:
        problem = f"expected eligible from {example['eligible_from']}, got {eligible_from}"
    return ExampleResult(rule_code, number, example, result.outcome, eligible_from, fired, problem)
