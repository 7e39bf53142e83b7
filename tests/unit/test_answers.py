"""parse_answers: JSON answers in, typed answers out, or an AnswerError naming the question."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from screening.questionnaire.defaults import QUESTIONS, baseline_answers
from screening.rules import AnswerError, answers_to_json, parse_answers

TODAY = date(2027, 1, 15)


def _parse(raw: dict, questions: list[dict] = QUESTIONS) -> dict:
    return parse_answers(raw, questions, today=TODAY)


def _error(raw: dict, questions: list[dict] = QUESTIONS) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        _parse(raw, questions)
    return caught.value


def test_each_answer_type_is_converted_to_its_python_type() -> None:
    typed = _parse(
        {
            "active_acne": True,
            "isotretinoin_last_taken": "2026-07-16",
            "diabetes": "controlled",
            "concerns": ["wrinkles", "acne_scars"],
            "medications": "Vitamin D",
        }
    )

    assert typed == {
        "active_acne": True,
        "isotretinoin_last_taken": date(2026, 7, 16),
        "diabetes": "controlled",
        "concerns": ["wrinkles", "acne_scars"],
        "medications": "Vitamin D",
    }


def test_missing_keys_stay_absent_rather_than_being_an_error() -> None:
    assert _parse({"active_acne": False}) == {"active_acne": False}


def test_null_passes_through_as_none_for_never_or_not_answered_yet() -> None:
    assert _parse({"retinoid_last_used": None, "active_acne": None}) == {
        "retinoid_last_used": None,
        "active_acne": None,
    }


@pytest.mark.parametrize("value", ["yes", 1, 0, [True], {"value": True}])
def test_a_yes_no_answer_that_is_not_true_or_false_is_refused(value: object) -> None:
    error = _error({"active_acne": value})

    assert error.question == "active_acne"
    assert "true or false" in str(error)


def test_the_error_message_is_one_line_naming_the_question() -> None:
    error = _error({"pregnant_or_breastfeeding": "no"})

    assert str(error).startswith("pregnant_or_breastfeeding: ")
    assert "\n" not in str(error)


def test_an_impossible_date_is_refused() -> None:
    error = _error({"isotretinoin_last_taken": "2026-02-30"})

    assert error.question == "isotretinoin_last_taken"
    assert "not a real date" in str(error)


@pytest.mark.parametrize("value", ["15/01/2026", "2026-1-5", "20260105", "2026-01-05T10:00", 20260105, True])
def test_a_date_not_written_as_year_month_day_is_refused(value: object) -> None:
    assert _error({"peel_or_laser_last_date": value}).question == "peel_or_laser_last_date"


def test_a_future_date_for_a_last_time_question_is_refused() -> None:
    error = _error({"last_microneedling_date": "2027-01-16"})

    assert error.question == "last_microneedling_date"
    assert "future" in str(error)


def test_today_itself_is_a_valid_last_time_date() -> None:
    assert _parse({"last_microneedling_date": "2027-01-15"}) == {"last_microneedling_date": TODAY}


def test_a_future_date_is_accepted_when_the_question_is_not_past_only() -> None:
    questions = [{"code": "preferred_day", "type": "date", "required": False, "past_only": False}]

    assert _parse({"preferred_day": "2030-01-01"}, questions) == {"preferred_day": date(2030, 1, 1)}


def test_a_birth_date_in_the_future_is_refused() -> None:
    assert _error({"date_of_birth": "2027-06-01"}).question == "date_of_birth"


def test_date_objects_are_accepted_so_parsing_typed_answers_is_harmless() -> None:
    typed = _parse({"retinoid_last_used": date(2027, 1, 1), "peel_or_laser_last_date": datetime(2027, 1, 2, 9, 30)})

    assert typed == {"retinoid_last_used": date(2027, 1, 1), "peel_or_laser_last_date": date(2027, 1, 2)}


def test_an_unknown_choice_is_refused_naming_the_question() -> None:
    error = _error({"diabetes": "sometimes"})

    assert error.question == "diabetes"
    assert "unknown choice" in str(error)


def test_a_choice_must_be_a_single_code_not_a_list() -> None:
    assert _error({"diabetes": ["none"]}).question == "diabetes"


def test_an_unknown_choice_in_a_multiple_choice_answer_is_refused() -> None:
    error = _error({"concerns": ["wrinkles", "tattoo_removal"]})

    assert error.question == "concerns"
    assert "tattoo_removal" in str(error)


def test_a_multiple_choice_answer_must_be_a_list() -> None:
    assert _error({"concerns": "wrinkles"}).question == "concerns"


def test_a_choice_ticked_twice_counts_once() -> None:
    assert _parse({"concerns": ["wrinkles", "wrinkles", "rosacea"]}) == {"concerns": ["wrinkles", "rosacea"]}


def test_text_over_the_maximum_length_is_refused() -> None:
    error = _error({"first_name": "A" * 101})

    assert error.question == "first_name"
    assert "limit is 100" in str(error)


def test_text_at_the_maximum_length_is_accepted() -> None:
    assert _parse({"first_name": "A" * 100}) == {"first_name": "A" * 100}


def test_text_must_be_a_string() -> None:
    assert _error({"medications": 42}).question == "medications"


def test_an_unknown_question_code_is_refused() -> None:
    error = _error({"favourite_colour": "blue"})

    assert error.question == "favourite_colour"
    assert "unknown question" in str(error)


def test_answers_that_are_not_a_mapping_are_a_programming_error() -> None:
    with pytest.raises(TypeError):
        parse_answers([("active_acne", True)], QUESTIONS, today=TODAY)  # type: ignore[arg-type]


def test_typed_answers_survive_a_round_trip_through_json() -> None:
    typed = baseline_answers(TODAY) | {"isotretinoin_last_taken": date(2026, 9, 1)}

    as_json = answers_to_json(typed)

    assert as_json["isotretinoin_last_taken"] == "2026-09-01"
    assert _parse(as_json) == typed
