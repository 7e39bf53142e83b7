"""The engine's round-two pieces (issue 18): not sure, month answers, any-date operators, placeholders,
messages checked against their windows, the refusals parse_answers shares with the intake form."""

from __future__ import annotations

import json
from datetime import date

import pytest

from screening.questionnaire.defaults import QUESTIONS, RULES, baseline_answers
from screening.rules import (
    AnswerError,
    DuplicateKeyError,
    MonthAnswer,
    answers_to_json,
    fill_messages,
    loads_strict,
    message_problems,
    parse_answers,
    readable_answers,
    screen,
    screen_answers,
    validate_rule,
    window_words,
)

DAY = date(2027, 1, 15)
BY_CODE = {rule["code"]: rule for rule in RULES}


def _screen(**overrides):
    return screen(baseline_answers(DAY) | overrides, rules=RULES, questions=QUESTIONS, treatment="face", on_date=DAY)


def _codes(result) -> list[str]:
    return [flag.rule for flag in result.flags]


# --- not sure -------------------------------------------------------------------------------


def test_not_sure_about_pregnancy_needs_review_and_yes_still_blocks():
    assert (_screen(pregnant_or_breastfeeding="not_sure").outcome, _codes(_screen(
        pregnant_or_breastfeeding="not_sure"))) == ("review", ["PREGNANCY_UNSURE"])
    assert _codes(_screen(pregnant_or_breastfeeding=True)) == ["PREGNANCY"]


@pytest.mark.parametrize("answer", [True, "not_sure"])
def test_a_bleeding_disorder_yes_or_not_sure_needs_review(answer):
    result = _screen(bleeding_disorder=answer)

    assert (result.outcome, _codes(result)) == ("review", ["BLEEDING_DISORDER"])
    assert result.flags[0].evidence == {"bleeding_disorder": answer}


def test_not_sure_is_read_only_where_the_question_offers_it():
    assert parse_answers({"bleeding_disorder": "not_sure"}, QUESTIONS, today=DAY) == {"bleeding_disorder": "not_sure"}
    with pytest.raises(AnswerError, match="active_acne"):
        parse_answers({"active_acne": "not_sure"}, QUESTIONS, today=DAY)
    # Stored answers: one that cannot be read counts as missing, so the intake is incomplete.
    result = screen_answers(answers_to_json(baseline_answers(DAY)) | {"active_acne": "not_sure"}, rules=RULES,
                            questions=QUESTIONS, treatment="face", on_date=DAY)
    assert (result.outcome, result.missing) == ("incomplete", ["active_acne"])


def test_not_sure_is_an_answer_to_a_required_question():
    assert _screen(pregnant_or_breastfeeding="not_sure").missing == []


# --- month answers --------------------------------------------------------------------------


def test_a_month_is_screened_as_its_last_day():
    answer = parse_answers({"peel_or_laser_last_date": "2027-01"}, QUESTIONS, today=date(2027, 3, 1))

    assert answer["peel_or_laser_last_date"] == date(2027, 1, 31)
    assert answers_to_json(answer) == {"peel_or_laser_last_date": "2027-01"}


def test_this_month_is_screened_as_today_at_the_latest():
    answer = parse_answers({"peel_or_laser_last_date": "2027-01"}, QUESTIONS, today=DAY)["peel_or_laser_last_date"]

    assert answer == DAY and isinstance(answer, MonthAnswer)
    result = _screen(peel_or_laser_last_date=answer)
    assert (result.outcome, result.eligible_from) == ("deferred", date(2027, 1, 29))


def test_a_month_is_screened_as_its_last_day_on_either_side_of_a_window():
    december = parse_answers({"peel_or_laser_last_date": "2026-12", "deep_resurfacing_last_date": "2026-12"},
                             QUESTIONS, today=DAY)
    # 31 December 2026 + 14 days = 14 January 2027: on 15 January the peel window is over.
    assert _screen(peel_or_laser_last_date=december["peel_or_laser_last_date"]).outcome == "eligible"
    # 31 December + 30 days = 30 January: deep resurfacing still defers.
    result = _screen(deep_resurfacing_last_date=december["deep_resurfacing_last_date"])
    assert (result.outcome, result.eligible_from) == ("deferred", date(2027, 1, 30))
    assert "December 2026" in result.flags[0].staff_message


@pytest.mark.parametrize(("value", "problem"), [
    ("2027-02", "future"), ("2026-13", "real month"), ("1899-12", "1900"), ("2026-1", "YYYY-MM-DD or YYYY-MM"),
])
def test_a_month_that_cannot_be_right_is_refused(value, problem):
    with pytest.raises(AnswerError, match=problem):
        parse_answers({"isotretinoin_last_taken": value}, QUESTIONS, today=DAY)


def test_a_month_is_not_a_birth_date():
    with pytest.raises(AnswerError, match="YYYY-MM-DD"):
        parse_answers({"date_of_birth": "1990-05"}, QUESTIONS, today=DAY)


def test_a_month_answer_survives_being_stored_and_read_back():
    typed = parse_answers({"radiation_last_date": "2001-06"}, QUESTIONS, today=DAY)
    stored = json.loads(json.dumps(answers_to_json(typed)))

    assert readable_answers(stored, QUESTIONS, today=DAY) == typed


# --- any date, the face only, the 18th birthday -----------------------------------------------


def test_radiation_twenty_years_ago_still_needs_review_and_never_does_not():
    assert _codes(_screen(radiation_last_date=date(2007, 1, 1))) == ["RADIATION"]
    assert _codes(_screen(radiation_last_date=None)) == []


@pytest.mark.parametrize("code,question", [("TOXIN", "toxin_last_date"), ("FILLER", "filler_last_date")])
def test_toxin_and_filler_defer_the_face_only(code, question):
    for treatment, expected in [("face", [code]), ("scalp", []), ("body", [])]:
        result = screen(baseline_answers(DAY) | {question: date(2027, 1, 10)}, rules=RULES, questions=QUESTIONS,
                        treatment=treatment, on_date=DAY)
        assert _codes(result) == expected


def test_keloid_blocks_and_raised_scars_only_need_review():
    assert _screen(keloid_history=True).outcome == "not_suitable"
    assert (_screen(raised_scar_history=True).outcome, _codes(_screen(raised_scar_history=True))) == (
        "review", ["RAISED_SCARS"])


def test_taking_isotretinoin_now_is_not_suitable_with_a_word_on_when_to_come_back():
    flag = _screen(isotretinoin_current=True).flags[0]

    assert (flag.rule, flag.severity) == ("ISOTRETINOIN_CURRENT", "block")
    assert "6 months after your last dose" in flag.patient_message


def test_under_18_says_when_in_words_about_age_not_health():
    flag = _screen(date_of_birth=date(2010, 3, 1)).flags[0]

    assert (flag.rule, flag.eligible_from) == ("UNDER_18", date(2028, 3, 1))
    assert flag.patient_message.endswith("18th birthday, 1 March 2028.")


# --- the medicine list ----------------------------------------------------------------------------


def test_free_text_naming_a_listed_medicine_needs_review_with_the_words_and_class_as_evidence():
    result = _screen(medications="warfarin 5 mg", other_allergies="lidocaine: throat swelling")

    (flag,) = result.flags
    assert (result.outcome, flag.rule) == ("review", "MEDICINE_MENTIONED")
    assert flag.evidence == {"medications": "warfarin 5 mg", "medications_matched": "warfarin: anticoagulant",
                             "other_allergies": "lidocaine: throat swelling",
                             "other_allergies_matched": "lidocaine: numbing agent"}
    assert "warfarin: anticoagulant; lidocaine: numbing agent" in flag.staff_message


def test_other_free_text_is_noted_for_the_practitioner_and_changes_nothing():
    result = _screen(medications="vitamin D", other_allergies="aspirin-free gels")

    assert (result.outcome, _codes(result)) == ("eligible", ["MEDICINES_LISTED"])
    assert result.flags[0].severity == "info"


def test_a_clinic_list_given_with_the_rule_replaces_the_default():
    rules = [dict(rule, conditions=[dict(c, value=[{"term": "ginkgo", "class": "supplement", "aliases": []}])
                                    for c in rule["conditions"]])
             if rule["code"] in ("MEDICINE_MENTIONED", "MEDICINES_LISTED") else rule for rule in RULES]

    result = screen(baseline_answers(DAY) | {"medications": "ginkgo, warfarin"}, rules=rules, questions=QUESTIONS,
                    treatment="face", on_date=DAY)

    assert _codes(result) == ["MEDICINE_MENTIONED"]
    assert result.flags[0].evidence["medications_matched"] == "ginkgo: supplement"


# --- placeholders and windows -----------------------------------------------------------------------


@pytest.mark.parametrize(("days", "words"), [
    (1, "1 day"), (5, "5 days"), (7, "1 week"), (14, "2 weeks"), (28, "4 weeks"), (30, "30 days"),
    (61, "2 months"), (91, "3 months"), (183, "6 months"), (200, "200 days"), (365, "1 year"), (730, "2 years"),
])
def test_a_window_in_plain_words(days, words):
    assert window_words(days) == words


def test_a_changed_window_changes_the_message():
    rule = dict(BY_CODE["ISOTRETINOIN"], conditions=[
        {"question": "isotretinoin_last_taken", "op": "within_days", "value": 365}])

    result = screen(baseline_answers(DAY) | {"isotretinoin_last_taken": date(2026, 3, 1)}, rules=[rule],
                    questions=QUESTIONS, treatment="face", on_date=DAY)

    assert "in the last 1 year" in result.flags[0].patient_message
    assert "You can book from 1 March 2027." in result.flags[0].patient_message
    assert "(last dose 1 March 2026)" in result.flags[0].staff_message


def test_a_placeholder_the_rule_cannot_fill_is_left_as_written():
    rule = dict(BY_CODE["ACTIVE_ACNE"], patient_message="Until {eligible_from}; {unknown}.")

    staff, patient = fill_messages(rule, {"active_acne": True}, {"active_acne": True}, None)

    assert patient == "Until {eligible_from}; {unknown}."


@pytest.mark.parametrize(("message", "value", "problem"), [
    ("Wait six months after your last dose.", 365, True),
    ("Wait 6 months after your last dose.", 183, False),
    ("Wait a year.", 365, False),
    ("Wait 2 weeks.", 183, True),
    ("Wait 183 days.", 90, True),
    ("Wait {window}.", 90, False),
    ("Wait a few days.", 90, False),
])
def test_a_message_naming_a_span_its_window_contradicts_is_a_problem(message, value, problem):
    rule = dict(BY_CODE["ISOTRETINOIN"], patient_message=message,
                conditions=[{"question": "isotretinoin_last_taken", "op": "within_days", "value": value}])

    found = [field for field, _ in validate_rule(rule, QUESTIONS)]

    assert ("patient_message" in found) is problem


def test_window_placeholder_without_a_window_is_a_problem():
    rule = dict(BY_CODE["ACTIVE_ACNE"], patient_message="Come back in {window}.")

    assert [field for field, _ in message_problems(rule)] == ["patient_message"]


def test_an_age_window_is_compared_in_years():
    rule = dict(BY_CODE["UNDER_18"], staff_message="Under 16 years.")

    assert [field for field, _ in message_problems(rule)] == ["staff_message"]


# --- the refusals the intake form makes ---------------------------------------------------------------


def test_a_key_given_twice_is_refused():
    with pytest.raises(DuplicateKeyError, match="active_acne"):
        loads_strict('{"active_acne": true, "active_acne": false}')
    assert loads_strict('{"a": {"b": 1}, "c": [{"b": 2}]}') == {"a": {"b": 1}, "c": [{"b": 2}]}


@pytest.mark.parametrize("value", ["1850-03-01", "1899-12-31"])
def test_a_year_before_1900_is_refused(value):
    with pytest.raises(AnswerError, match="1900"):
        parse_answers({"date_of_birth": value}, QUESTIONS, today=DAY)


def test_1900_itself_is_a_date():
    assert parse_answers({"date_of_birth": "1900-01-01"}, QUESTIONS, today=DAY)["date_of_birth"] == date(1900, 1, 1)


@pytest.mark.parametrize(("signature", "ok"), [
    ("Alex Example", True), ("  alex   EXAMPLE ", True), ("Alex", False), ("Someone Else", False),
])
def test_a_signature_must_be_the_names_given(signature, ok):
    answers = {"first_name": "Alex", "last_name": "Example", "consent_signature": signature}
    if ok:
        assert parse_answers(answers, QUESTIONS, today=DAY)["consent_signature"] == signature
    else:
        with pytest.raises(AnswerError, match="consent_signature"):
            parse_answers(answers, QUESTIONS, today=DAY)


def test_a_signature_without_names_to_match_is_not_checked():
    assert parse_answers({"consent_signature": "Anyone"}, QUESTIONS, today=DAY) == {"consent_signature": "Anyone"}
