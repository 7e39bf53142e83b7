"""Rules compiled once (``compile_rules``) screen exactly as the same rules given as plain data.

``screen`` compiles plain rules itself, so every other engine test runs
through the compiled path too; these hold what compiling once adds: a
compiled set reused for many screenings gives what a fresh one gives, broken
rules still fail closed with the error the engine met where it met it, and a
set compiled against other questions is refused.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest

from screening.questionnaire.defaults import QUESTIONS, RULES, baseline_answers
from screening.rules import compile_rules, outcome_of, rule_flags, screen

DAY = date(2027, 1, 15)


def _rule(code: str, *conditions: dict[str, Any], severity: str = "review", **extra: Any) -> dict[str, Any]:
    return {"code": code, "name": code.title(), "severity": severity, "treatments": [], "match": "all",
            "conditions": list(conditions), "staff_message": "s", "patient_message": "p", "revision": 1} | extra


BROKEN = [
    "not a rule",
    _rule("BAD_TREATMENTS", {"question": "metal_allergy", "op": "is_true"}, treatments="face"),
    _rule("BAD_SEVERITY", {"question": "metal_allergy", "op": "is_true"}, severity="maybe"),
    _rule("BAD_MATCH", {"question": "metal_allergy", "op": "is_true"}, match="some"),
    _rule("NO_CONDITIONS"),
    _rule("NOT_A_CONDITION", "metal_allergy"),
    _rule("UNKNOWN_QUESTION", {"question": "nope", "op": "is_true"}),
    _rule("UNKNOWN_OPERATOR", {"question": "metal_allergy", "op": "is_maybe"}),
    _rule("DOES_NOT_FIT", {"question": "metal_allergy", "op": "within_days", "value": 3}),
    # The first condition fails on its answer before the second is found broken: its error is the one shown.
    _rule("ANSWER_FIRST", {"question": "retinoid_last_used", "op": "within_days", "value": -1},
          {"question": "metal_allergy", "op": "is_maybe"}),
    _rule("DEFER_WITHOUT_WINDOW", {"question": "metal_allergy", "op": "is_true"}, severity="defer"),
    _rule("ONLY_BODY", {"question": "metal_allergy", "op": "is_maybe"}, treatments=["body"]),
]
RULE_SETS = [RULES, RULES + BROKEN]
ANSWER_SETS = [
    baseline_answers(DAY),
    baseline_answers(DAY) | {"metal_allergy": True, "retinoid_last_used": DAY - timedelta(days=2)},
    baseline_answers(DAY) | {"pregnant_or_breastfeeding": True, "bleeding_disorder": True},
    {},
]


@pytest.mark.parametrize("rules", RULE_SETS)
def test_a_compiled_set_used_again_and_again_screens_as_plain_rules_do(rules):
    compiled = compile_rules(copy.deepcopy(rules), QUESTIONS)
    for _ in range(3):
        for answers in ANSWER_SETS:
            for treatment in ("face", "body"):
                plain = screen(answers, rules=rules, questions=QUESTIONS, treatment=treatment, on_date=DAY)
                again = screen(answers, rules=compiled, questions=QUESTIONS, treatment=treatment, on_date=DAY)
                assert again == plain


def test_broken_rules_fail_closed_with_the_error_met_first():
    result = screen(baseline_answers(DAY), rules=compile_rules(BROKEN, QUESTIONS), questions=QUESTIONS,
                    treatment="face", on_date=DAY)
    errors = {flag.rule: flag.error for flag in result.flags}
    assert all(flag.severity == "review" for flag in result.flags)
    assert result.outcome == "review"
    assert errors["?"] == "'str' object has no attribute 'get'"
    assert errors["BAD_TREATMENTS"] == "treatments must be a list, not 'face'"
    assert errors["BAD_SEVERITY"] == "unknown severity 'maybe'"
    assert errors["BAD_MATCH"] == "unknown match 'some'"
    assert errors["NO_CONDITIONS"] == "rule has no conditions"
    assert errors["NOT_A_CONDITION"] == "condition is not an object: 'metal_allergy'"
    assert errors["UNKNOWN_QUESTION"] == "unknown question 'nope'"
    assert errors["UNKNOWN_OPERATOR"] == "unknown operator 'is_maybe'"
    assert errors["DOES_NOT_FIT"] == "operator 'within_days' does not fit the yes_no question 'metal_allergy'"
    assert errors["ANSWER_FIRST"].startswith("window must be a whole number")
    assert "ONLY_BODY" not in errors  # not this treatment's rule: broken or not, it is not evaluated
    assert "DEFER_WITHOUT_WINDOW" not in errors  # the allergy is not ticked: it does not fire


def test_a_rule_found_broken_many_times_keeps_one_short_error():
    compiled = compile_rules([BROKEN[7]], QUESTIONS)
    for _ in range(1000):
        screen({}, rules=compiled, questions=QUESTIONS, treatment="face", on_date=DAY)
    error = compiled.rules[0].broken
    depth, tb = 0, error.__traceback__
    while tb is not None:
        depth, tb = depth + 1, tb.tb_next
    assert depth < 10


def test_rules_compiled_against_other_questions_are_refused():
    compiled = compile_rules(RULES, QUESTIONS)
    with pytest.raises(ValueError, match="other questions"):
        screen({}, rules=compiled, questions=copy.deepcopy(QUESTIONS), treatment="face", on_date=DAY)


@pytest.mark.parametrize("answers", ANSWER_SETS)
def test_a_screening_is_the_outcome_of_its_rules_flags_and_missing_answers(answers):
    result = screen(answers, rules=RULES + BROKEN, questions=QUESTIONS, treatment="face", on_date=DAY)
    flags = rule_flags(answers, rules=RULES + BROKEN, questions=QUESTIONS, treatment="face", on_date=DAY)
    assert outcome_of(flags, result.missing) == result
    # The flags of a rule set are those of its rules, however the set is split.
    halves = [rule_flags(answers, rules=part, questions=QUESTIONS, treatment="face", on_date=DAY)
              for part in ((RULES + BROKEN)[:10], (RULES + BROKEN)[10:])]
    assert halves[0] + halves[1] == flags
