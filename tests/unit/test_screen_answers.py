"""screen_answers: the one way stored (JSON) answers are screened, failing closed on what it cannot read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from screening.questionnaire.defaults import QUESTIONS, RULES, baseline_answers
from screening.rules import answers_to_json, parse_answers, readable_answers, screen, screen_answers

DAY = date(2027, 1, 15)


def _stored(**overrides) -> dict:
    return answers_to_json(baseline_answers(DAY)) | overrides


def _screen(answers: dict, **kwargs):
    return screen_answers(answers, rules=RULES, questions=QUESTIONS, treatment="face", on_date=DAY, **kwargs)


def test_readable_answers_are_screened_as_the_engine_screens_them_typed() -> None:
    stored = _stored(metal_allergy=True)

    assert _screen(stored) == screen(parse_answers(stored, QUESTIONS, today=DAY), rules=RULES, questions=QUESTIONS,
                                     treatment="face", on_date=DAY)
    assert _screen(stored).outcome == "review"


@pytest.mark.parametrize(
    ("code", "unreadable"),
    [
        ("active_acne", "maybe"),  # not true/false
        ("diabetes", "sometimes"),  # not one of the choices
        ("isotretinoin_last_taken", "last spring"),  # not a date
        ("retinoid_last_used", (DAY + timedelta(days=3)).isoformat()),  # a "last time" in the future
        ("date_of_birth", 1990),  # not a date
    ],
)
def test_an_unreadable_answer_to_a_required_question_is_missing_never_eligible(code: str, unreadable) -> None:
    result = _screen(_stored(**{code: unreadable}))

    assert result.outcome == "incomplete"
    assert code in result.missing


def test_an_unreadable_answer_to_an_optional_question_is_left_out_and_the_rest_screened() -> None:
    result = _screen(_stored(phone=12345, metal_allergy=True))

    assert result.outcome == "review"
    assert result.missing == []


def test_an_unreadable_answer_fires_no_rule_and_the_others_still_do() -> None:
    result = _screen(_stored(active_acne="yes please", keloid_history=True))

    assert [flag.rule for flag in result.flags] == ["KELOID"]
    assert result.outcome == "not_suitable"


def test_answers_to_questions_no_longer_asked_play_no_part() -> None:
    assert _screen(_stored(shoe_size="44")).outcome == "eligible"


def test_a_last_time_date_is_read_against_today_when_the_appointment_is_later() -> None:
    """A booking screens for the slot's date, but a "last time" answer may not be after today."""
    tomorrow = (DAY + timedelta(days=1)).isoformat()
    later = DAY + timedelta(days=30)
    stored = _stored(peel_or_laser_last_date=tomorrow)

    read_today = screen_answers(stored, rules=RULES, questions=QUESTIONS, treatment="face", on_date=later, today=DAY)
    read_on_the_day = screen_answers(stored, rules=RULES, questions=QUESTIONS, treatment="face", on_date=later)

    assert read_today.outcome == "incomplete"
    assert read_on_the_day.outcome == "eligible"


def test_answers_that_are_not_a_mapping_are_all_missing() -> None:
    assert readable_answers(["active_acne", True], QUESTIONS, today=DAY) == {}  # type: ignore[arg-type]
    assert _screen([]).outcome == "incomplete"  # type: ignore[arg-type]


def test_the_stored_answers_are_not_changed() -> None:
    stored = _stored(active_acne="maybe")
    before = dict(stored)

    _screen(stored)

    assert stored == before
