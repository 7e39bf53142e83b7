"""is_shown: show-when, the one rule that the engine, the intake form and its page follow."""

from __future__ import annotations

import pytest

from screening.questionnaire.defaults import QUESTIONS
from screening.rules import hidden_codes, is_shown

SPECS = {q["code"]: q for q in QUESTIONS}


def _specs(*extra: dict) -> dict[str, dict]:
    return {**SPECS, **{q["code"]: q for q in extra}}


def _question(code: str, show_when: object, type_: str = "yes_no") -> dict:
    return {"code": code, "type": type_, "required": True, "show_when": show_when}


def test_a_question_without_show_when_is_always_shown() -> None:
    assert is_shown("active_acne", {}, SPECS)


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({"blood_thinners": True}, True),
        ({"blood_thinners": False}, False),
        ({}, False),  # the parent not answered yet
        ({"blood_thinners": None}, False),
        ({"blood_thinners": 1}, False),  # True is not 1
        ({"blood_thinners": "yes"}, False),  # nor the form's word for it
    ],
)
def test_a_follow_up_is_shown_when_its_parent_has_the_value(answers: dict, shown: bool) -> None:
    assert is_shown("blood_thinners_detail", answers, SPECS) is shown


def test_a_follow_up_of_a_several_choices_question_is_shown_when_the_answer_includes_the_value() -> None:
    specs = _specs(_question("scar_detail", {"question": "concerns", "value": "acne_scars"}, "text"))

    assert is_shown("scar_detail", {"concerns": ["wrinkles", "acne_scars"]}, specs)
    assert not is_shown("scar_detail", {"concerns": ["wrinkles"]}, specs)


def test_a_follow_up_of_a_hidden_question_is_hidden_whatever_its_stale_parent_answer() -> None:
    specs = _specs(_question("warfarin", {"question": "blood_thinners_detail", "value": "warfarin"}, "text"))

    stale = {"blood_thinners": False, "blood_thinners_detail": "warfarin"}
    assert not is_shown("warfarin", stale, specs)
    assert is_shown("warfarin", {**stale, "blood_thinners": True}, specs)


@pytest.mark.parametrize(
    "show_when",
    [{"question": "gone", "value": True}, "blood_thinners", {"value": True}],
    ids=["dangling", "malformed", "no parent"],
)
def test_a_show_when_that_cannot_be_followed_shows_the_question(show_when: object) -> None:
    specs = _specs(_question("odd", show_when))

    assert is_shown("odd", {}, specs)


def test_a_circle_of_show_whens_shows_the_questions() -> None:
    specs = _specs(_question("a", {"question": "b", "value": True}), _question("b", {"question": "a", "value": True}))

    assert is_shown("a", {"a": True, "b": True}, specs)


def test_hidden_codes_lists_the_questions_not_asked() -> None:
    assert hidden_codes({"blood_thinners": False}, SPECS) == {"blood_thinners_detail"}
    assert hidden_codes({"blood_thinners": True}, SPECS) == set()
    assert hidden_codes({"blood_thinners": False}, SPECS, codes=["active_acne"]) == set()
