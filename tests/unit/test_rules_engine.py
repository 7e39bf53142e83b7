"""The screening engine over the default questionnaire and rules, and over small hand-made rules."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.questionnaire.defaults import QUESTIONS, RULES, baseline_answers
from screening.rules import OPERATORS, OUTCOMES, Flag, ScreeningResult, fill_messages, screen, validate_rule

DAY = date(2027, 1, 15)
RULES_BY_CODE = {rule["code"]: rule for rule in RULES}


def _answers(**overrides: Any) -> dict[str, Any]:
    return baseline_answers(DAY) | overrides


def _screen(
    answers: dict[str, Any],
    *,
    treatment: str = "face",
    on_date: date = DAY,
    rules: list[dict[str, Any]] = RULES,
    questions: list[dict[str, Any]] = QUESTIONS,
) -> ScreeningResult:
    return screen(answers, rules=rules, questions=questions, treatment=treatment, on_date=on_date)


def _rule(code: str = "TEST", severity: str = "review", *conditions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": code.title(),
        "severity": severity,
        "treatments": [],
        "match": "all",
        "conditions": list(conditions),
        "staff_message": f"{code} staff",
        "patient_message": f"{code} patient",
        "revision": 3,
    } | extra


def _codes(result: ScreeningResult) -> list[str]:
    return [flag.rule for flag in result.flags]


# --- every default rule fires, and does not --------------------------------

FIRING = {
    "BLEEDING_DISORDER": ({"bleeding_disorder": True}, "review"),
    "BLOOD_THINNERS": ({"blood_thinners": True, "blood_thinners_detail": "Apixaban 5 mg"}, "review"),
    "ACTIVE_INFECTION": ({"active_skin_infection": True}, "not_suitable"),
    "ACTIVE_ACNE": ({"active_acne": True}, "not_suitable"),
    "KELOID": ({"keloid_history": True}, "not_suitable"),
    "UNSTABLE_SKIN": ({"unstable_skin": True}, "not_suitable"),
    "PREGNANCY": ({"pregnant_or_breastfeeding": True}, "not_suitable"),
    "SKIN_CANCER": ({"skin_cancer_in_area": True}, "not_suitable"),
    "UNDER_18": ({"date_of_birth": date(2010, 3, 1)}, "deferred"),
    "ISOTRETINOIN_CURRENT": ({"isotretinoin_current": True}, "not_suitable"),
    "PREGNANCY_UNSURE": ({"pregnant_or_breastfeeding": "not_sure"}, "review"),
    "RAISED_SCARS": ({"raised_scar_history": True}, "review"),
    "WARTS": ({"warts_in_area": True}, "not_suitable"),
    "TATTOO": ({"tattoo_in_area": True}, "eligible"),
    "PIGMENTATION": ({"pigmentation_history": True}, "review"),
    "KOEBNER": ({"koebner_condition": True}, "review"),
    "PREVIOUS_REACTION": ({"previous_reaction": True}, "review"),
    "DEEP_RESURFACING": ({"deep_resurfacing_last_date": date(2026, 12, 20)}, "deferred"),
    "TOXIN": ({"toxin_last_date": date(2027, 1, 5)}, "deferred"),
    "FILLER": ({"filler_last_date": date(2027, 1, 5)}, "deferred"),
    "MEDICINE_MENTIONED": ({"medications": "Warfarin 5 mg daily"}, "review"),
    "MEDICINES_LISTED": ({"medications": "vitamin D"}, "eligible"),
    "CHANGED_SINCE_LAST_VISIT": ({"anything_changed": "I started a new face cream that stings"}, "review"),
    "ISOTRETINOIN": ({"isotretinoin_last_taken": date(2026, 11, 1)}, "deferred"),
    "PEEL_OR_LASER": ({"peel_or_laser_last_date": date(2027, 1, 10)}, "deferred"),
    "RETINOID": ({"retinoid_last_used": date(2027, 1, 14)}, "deferred"),
    "SESSION_INTERVAL": ({"last_microneedling_date": date(2027, 1, 1)}, "deferred"),
    "COLD_SORES": ({"cold_sore_history": True}, "review"),
    "IMMUNOSUPPRESSED": ({"immunosuppressed": True}, "review"),
    "DIABETES_UNCONTROLLED": ({"diabetes": "uncontrolled"}, "review"),
    "AUTOIMMUNE": ({"autoimmune_condition": True}, "review"),
    "RADIATION": ({"radiation_last_date": date(2006, 6, 1)}, "review"),
    "ANESTHETIC_ALLERGY": ({"anesthetic_allergy": True}, "review"),
    "METAL_ALLERGY": ({"metal_allergy": True}, "review"),
}

NOT_FIRING = {
    "BLEEDING_DISORDER": {"bleeding_disorder": False},
    "BLOOD_THINNERS": {"blood_thinners": False},
    "ACTIVE_INFECTION": {"active_skin_infection": False},
    "ACTIVE_ACNE": {"active_acne": False},
    "KELOID": {"keloid_history": False},
    "UNSTABLE_SKIN": {"unstable_skin": False},
    "PREGNANCY": {"pregnant_or_breastfeeding": False},
    "SKIN_CANCER": {"skin_cancer_in_area": False},
    "UNDER_18": {"date_of_birth": date(1990, 3, 1)},
    "ISOTRETINOIN_CURRENT": {"isotretinoin_current": False},
    "PREGNANCY_UNSURE": {"pregnant_or_breastfeeding": False},
    "RAISED_SCARS": {"raised_scar_history": False},
    "WARTS": {"warts_in_area": False},
    "TATTOO": {"tattoo_in_area": False},
    "PIGMENTATION": {"pigmentation_history": False},
    "KOEBNER": {"koebner_condition": False},
    "PREVIOUS_REACTION": {"previous_reaction": False},
    "DEEP_RESURFACING": {"deep_resurfacing_last_date": date(2026, 12, 16)},
    "TOXIN": {"toxin_last_date": date(2027, 1, 1)},
    "FILLER": {"filler_last_date": date(2027, 1, 1)},
    "MEDICINE_MENTIONED": {"medications": "vitamin D", "other_allergies": "aspirin-free gels"},
    "MEDICINES_LISTED": {"medications": "", "other_allergies": "   "},
    "CHANGED_SINCE_LAST_VISIT": {"anything_changed": "No, nothing changed."},
    "ISOTRETINOIN": {"isotretinoin_last_taken": date(2025, 1, 1)},
    "PEEL_OR_LASER": {"peel_or_laser_last_date": date(2026, 12, 1)},
    "RETINOID": {"retinoid_last_used": date(2027, 1, 1)},
    "SESSION_INTERVAL": {"last_microneedling_date": date(2026, 11, 1)},
    "COLD_SORES": {"cold_sore_history": False},
    "IMMUNOSUPPRESSED": {"immunosuppressed": False},
    "DIABETES_UNCONTROLLED": {"diabetes": "controlled"},
    "AUTOIMMUNE": {"autoimmune_condition": False},
    "RADIATION": {"radiation_last_date": None},
    "ANESTHETIC_ALLERGY": {"anesthetic_allergy": False},
    "METAL_ALLERGY": {"metal_allergy": False},
}


def test_the_firing_tables_cover_every_default_rule() -> None:
    assert set(FIRING) == set(RULES_BY_CODE) == set(NOT_FIRING)


def test_a_clean_answer_set_is_eligible_with_no_flags() -> None:
    result = _screen(_answers())

    assert result.outcome == "eligible"
    assert result.flags == []
    assert result.missing == []
    assert result.eligible_from is None


@pytest.mark.parametrize("code", list(RULES_BY_CODE))
def test_each_default_rule_fires_on_its_answer_with_the_answer_as_evidence(code: str) -> None:
    overrides, outcome = FIRING[code]

    result = _screen(_answers(**overrides))

    assert _codes(result) == [code]
    assert result.outcome == outcome
    flag = result.flags[0]
    rule = RULES_BY_CODE[code]
    question = rule["conditions"][0]["question"]
    assert {k: v for k, v in flag.evidence.items() if not k.endswith("_matched")} == {
        question: json.loads(json.dumps(_json(overrides[question])))}
    assert flag.severity == rule["severity"]
    assert flag.revision == 1
    assert flag.error is None
    answers = _answers(**overrides)
    assert (flag.staff_message, flag.patient_message) == fill_messages(
        rule, answers, flag.evidence, flag.eligible_from or _stop(rule, answers))
    assert "{" not in flag.staff_message + flag.patient_message


def _stop(rule: dict[str, Any], answers: dict[str, Any]) -> date | None:
    condition = rule["conditions"][0]
    if condition["op"] != "within_days":
        return None
    return answers[condition["question"]] + timedelta(days=condition["value"])


@pytest.mark.parametrize("code", list(RULES_BY_CODE))
def test_each_default_rule_stays_quiet_on_a_reassuring_answer(code: str) -> None:
    result = _screen(_answers(**NOT_FIRING[code]))

    assert code not in _codes(result)
    assert result.outcome == "eligible"
    assert [flag.rule for flag in result.flags if flag.severity != "info"] == []


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


# --- date windows -------------------------------------------------------------


def test_isotretinoin_last_taken_182_days_before_defers_until_183_days_after_it() -> None:
    last = DAY - timedelta(days=182)

    result = _screen(_answers(isotretinoin_last_taken=last))

    assert result.outcome == "deferred"
    assert result.eligible_from == last + timedelta(days=183)
    assert result.eligible_from == DAY + timedelta(days=1)
    assert result.flags[0].eligible_from == result.eligible_from


def test_isotretinoin_last_taken_183_days_before_is_eligible() -> None:
    result = _screen(_answers(isotretinoin_last_taken=DAY - timedelta(days=183)))

    assert result.outcome == "eligible"
    assert result.flags == []


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("isotretinoin_last_taken", 183),
        ("peel_or_laser_last_date", 14),
        ("retinoid_last_used", 5),
        ("last_microneedling_date", 28),
        ("deep_resurfacing_last_date", 30),
        ("toxin_last_date", 14),
        ("filler_last_date", 14),
    ],
)
def test_every_defer_window_ends_exactly_on_its_last_day(question: str, days: int) -> None:
    inside = _screen(_answers(**{question: DAY - timedelta(days=days - 1)}))
    outside = _screen(_answers(**{question: DAY - timedelta(days=days)}))

    assert (inside.outcome, inside.eligible_from) == ("deferred", DAY + timedelta(days=1))
    assert (outside.outcome, outside.eligible_from) == ("eligible", None)


@pytest.mark.parametrize("days", [0, 364, 365, 366, 3650, 20000])
def test_radiation_needs_review_however_long_ago_it_was(days: int) -> None:
    # Issue 18: radiotherapy damage to the skin is permanent (it used to count only within 365 days).
    result = _screen(_answers(radiation_last_date=DAY - timedelta(days=days)))

    assert (result.outcome, _codes(result)) == ("review", ["RADIATION"])


def test_radiation_never_does_not_need_review() -> None:
    assert _screen(_answers(radiation_last_date=None)).outcome == "eligible"


def test_never_for_a_date_question_does_not_fire_its_window() -> None:
    result = _screen(_answers(isotretinoin_last_taken=None, radiation_last_date=None))

    assert result.outcome == "eligible"


def test_a_review_flag_carries_no_eligible_from_date_of_its_own() -> None:
    result = _screen(_answers(radiation_last_date=DAY - timedelta(days=10)))

    assert result.flags[0].eligible_from is None
    assert result.eligible_from is None


# --- age -----------------------------------------------------------------------


def test_a_patient_is_deferred_to_their_18th_birthday_the_day_before_it() -> None:
    # Issue 18: UNDER_18 defers to the 18th birthday (it used to block with no date).
    result = _screen(_answers(date_of_birth=date(2009, 1, 16)))

    assert result.outcome == "deferred"
    assert _codes(result) == ["UNDER_18"]
    assert result.eligible_from == date(2027, 1, 16)
    flag = result.flags[0]
    assert "16 January 2027" in flag.patient_message and "adults" in flag.patient_message
    assert "health" not in flag.patient_message


def test_a_seventeen_year_old_with_another_deferral_is_eligible_from_the_later_date() -> None:
    result = _screen(_answers(date_of_birth=date(2009, 2, 1), peel_or_laser_last_date=DAY))

    assert (result.outcome, result.eligible_from) == ("deferred", date(2027, 2, 1))


def test_a_patient_is_eligible_on_their_18th_birthday() -> None:
    assert _screen(_answers(date_of_birth=date(2009, 1, 15))).outcome == "eligible"


def test_a_leap_day_birthday_turns_18_on_the_first_of_march_in_a_common_year() -> None:
    answers = _answers(date_of_birth=date(2008, 2, 29))

    before = _screen(answers, on_date=date(2026, 2, 28))
    assert (before.outcome, before.eligible_from) == ("deferred", date(2026, 3, 1))
    assert _screen(answers, on_date=date(2026, 3, 1)).outcome == "eligible"


# --- treatment scope ----------------------------------------------------------


def test_cold_sore_history_is_flagged_for_the_face() -> None:
    result = _screen(_answers(cold_sore_history=True), treatment="face")

    assert _codes(result) == ["COLD_SORES"]
    assert result.outcome == "review"


@pytest.mark.parametrize("treatment", ["scalp", "body"])
def test_cold_sore_history_is_not_flagged_away_from_the_face(treatment: str) -> None:
    result = _screen(_answers(cold_sore_history=True), treatment=treatment)

    assert result.flags == []
    assert result.outcome == "eligible"


@pytest.mark.parametrize("treatment", ["face", "scalp", "body"])
def test_rules_without_treatments_apply_to_every_treatment(treatment: str) -> None:
    assert _codes(_screen(_answers(active_acne=True), treatment=treatment)) == ["ACTIVE_ACNE"]


# --- combinations -------------------------------------------------------------


def test_a_block_beats_a_review_and_a_defer() -> None:
    result = _screen(
        _answers(active_acne=True, metal_allergy=True, retinoid_last_used=DAY - timedelta(days=1))
    )

    assert result.outcome == "not_suitable"
    assert set(_codes(result)) == {"ACTIVE_ACNE", "METAL_ALLERGY", "RETINOID"}
    assert result.eligible_from is None


def test_a_review_beats_a_defer_and_keeps_the_latest_defer_date() -> None:
    retinoid = DAY - timedelta(days=1)  # until DAY + 4
    peel = DAY - timedelta(days=3)  # until DAY + 11

    result = _screen(_answers(metal_allergy=True, retinoid_last_used=retinoid, peel_or_laser_last_date=peel))

    assert result.outcome == "review"
    assert result.eligible_from == peel + timedelta(days=14)


def test_several_defers_give_the_latest_of_their_dates() -> None:
    isotretinoin = DAY - timedelta(days=100)
    session = DAY - timedelta(days=2)

    result = _screen(_answers(isotretinoin_last_taken=isotretinoin, last_microneedling_date=session))

    assert result.outcome == "deferred"
    assert result.eligible_from == isotretinoin + timedelta(days=183)
    assert {flag.rule: flag.eligible_from for flag in result.flags} == {
        "ISOTRETINOIN": isotretinoin + timedelta(days=183),
        "SESSION_INTERVAL": session + timedelta(days=28),
    }


def test_flags_are_listed_in_rule_order() -> None:
    result = _screen(_answers(metal_allergy=True, bleeding_disorder=True, active_acne=True))

    assert _codes(result) == ["BLEEDING_DISORDER", "ACTIVE_ACNE", "METAL_ALLERGY"]


def test_an_info_flag_is_recorded_but_changes_nothing() -> None:
    rules = RULES + [_rule("NOTE", "info", {"question": "metal_allergy", "op": "is_false"})]

    result = _screen(_answers(), rules=rules)

    assert result.outcome == "eligible"
    assert _codes(result) == ["NOTE"]


def test_outcomes_are_ordered_strongest_first() -> None:
    assert OUTCOMES == ("not_suitable", "incomplete", "review", "deferred", "eligible")


# --- missing answers ----------------------------------------------------------


def test_a_missing_required_answer_gives_incomplete_never_eligible() -> None:
    answers = _answers()
    del answers["pregnant_or_breastfeeding"]

    result = _screen(answers)

    assert result.outcome == "incomplete"
    assert result.missing == ["pregnant_or_breastfeeding"]
    assert result.eligible_from is None


def test_missing_codes_are_listed_in_question_order() -> None:
    answers = _answers()
    for code in ("consent_signature", "diabetes", "first_name"):
        del answers[code]

    assert _screen(answers).missing == ["first_name", "diabetes", "consent_signature"]


def test_an_empty_answer_set_is_incomplete_and_lists_every_required_question() -> None:
    result = _screen({})

    required = [q["code"] for q in QUESTIONS if q["required"] and not q.get("show_when")]
    assert result.outcome == "incomplete"
    assert result.missing == required


@pytest.mark.parametrize(
    ("code", "value"),
    [("active_acne", None), ("first_name", ""), ("first_name", "   "), ("diabetes", None), ("diabetes", "")],
)
def test_none_or_blank_counts_as_missing_for_a_non_date_question(code: str, value: Any) -> None:
    result = _screen(_answers(**{code: value}))

    assert result.outcome == "incomplete"
    assert result.missing == [code]


def test_an_empty_list_counts_as_missing_for_a_required_multiple_choice_question() -> None:
    questions = copy.deepcopy(QUESTIONS)
    next(q for q in questions if q["code"] == "concerns")["required"] = True

    result = _screen(_answers(concerns=[]), questions=questions)

    assert result.missing == ["concerns"]


def test_never_is_an_answer_to_a_date_question_but_absence_is_missing() -> None:
    answers = _answers(retinoid_last_used=None)
    assert _screen(answers).outcome == "eligible"

    del answers["retinoid_last_used"]
    assert _screen(answers).missing == ["retinoid_last_used"]


def test_a_birth_date_of_never_counts_as_missing() -> None:
    result = _screen(_answers(date_of_birth=None))

    assert result.outcome == "incomplete"
    assert result.missing == ["date_of_birth"]


def test_consent_answered_no_counts_as_missing() -> None:
    result = _screen(_answers(consent_risks=False))

    assert result.outcome == "incomplete"
    assert result.missing == ["consent_risks"]


def test_an_unreadable_answer_to_a_required_question_counts_as_missing() -> None:
    result = _screen(_answers(keloid_history="no"))

    assert result.outcome != "eligible"
    assert "keloid_history" in result.missing


def test_a_block_beats_incomplete_so_the_patient_is_told_early() -> None:
    answers = _answers(active_acne=True)
    del answers["consent_signature"]

    result = _screen(answers)

    assert result.outcome == "not_suitable"
    assert result.missing == ["consent_signature"]


def test_incomplete_beats_review() -> None:
    answers = _answers(metal_allergy=True)
    del answers["email"]

    assert _screen(answers).outcome == "incomplete"


def test_an_optional_question_left_out_is_not_missing() -> None:
    answers = _answers()
    for code in ("phone", "medications", "other_allergies", "concerns", "blood_thinners_detail"):
        answers.pop(code, None)

    assert _screen(answers).outcome == "eligible"


def test_conditions_over_an_absent_answer_do_not_fire() -> None:
    answers = _answers()
    del answers["active_acne"]

    result = _screen(answers)

    assert "ACTIVE_ACNE" not in _codes(result)
    assert result.outcome == "incomplete"


# --- show_when ----------------------------------------------------------------


def _detail_required() -> list[dict[str, Any]]:
    questions = copy.deepcopy(QUESTIONS)
    next(q for q in questions if q["code"] == "blood_thinners_detail")["required"] = True
    return questions


def test_a_question_shown_by_its_parent_answer_is_required_when_shown() -> None:
    result = _screen(_answers(blood_thinners=True), questions=_detail_required())

    assert result.missing == ["blood_thinners_detail"]
    assert result.outcome == "incomplete"


def test_a_hidden_question_is_not_required() -> None:
    result = _screen(_answers(blood_thinners=False), questions=_detail_required())

    assert result.missing == []
    assert result.outcome == "eligible"


def test_a_hidden_questions_stale_answer_is_not_read_by_rules() -> None:
    rules = RULES + [_rule("WARFARIN", "block", {"question": "blood_thinners_detail", "op": "equals", "value": "warfarin"})]

    hidden = _screen(_answers(blood_thinners=False, blood_thinners_detail="warfarin"), rules=rules)
    shown = _screen(_answers(blood_thinners=True, blood_thinners_detail="warfarin"), rules=rules)

    assert hidden.outcome == "eligible"
    assert _codes(shown) == ["BLOOD_THINNERS", "WARFARIN"]
    assert shown.outcome == "not_suitable"


def test_a_show_when_pointing_at_an_unknown_question_shows_the_question() -> None:
    questions = _detail_required()
    next(q for q in questions if q["code"] == "blood_thinners_detail")["show_when"] = {"question": "gone", "value": True}

    assert _screen(_answers(), questions=questions).missing == ["blood_thinners_detail"]


# --- failing closed -----------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "error_text"),
    [
        ({"question": "metal_allergy", "op": "is_maybe"}, "unknown operator"),
        ({"question": "shoe_size", "op": "is_true"}, "unknown question"),
        ({"question": "diabetes", "op": "is_true"}, "does not fit"),
        ({"question": "retinoid_last_used", "op": "within_days"}, "window"),
        ({"question": "diabetes", "op": "in", "value": "uncontrolled"}, "non-empty list"),
    ],
)
def test_a_broken_rule_gives_a_review_flag_with_its_error_never_eligible(
    condition: dict[str, Any], error_text: str
) -> None:
    rules = RULES + [_rule("BROKEN", "block", condition)]

    result = _screen(_answers(), rules=rules)

    assert result.outcome == "review"
    (flag,) = result.flags
    assert (flag.rule, flag.severity, flag.revision) == ("BROKEN", "review", 3)
    assert error_text in flag.error
    assert flag.patient_message and "BROKEN" not in flag.patient_message


def test_a_wrong_typed_answer_inside_a_rule_gives_a_review_flag() -> None:
    questions = copy.deepcopy(QUESTIONS)
    next(q for q in questions if q["code"] == "metal_allergy")["required"] = False

    result = _screen(_answers(metal_allergy="yes"), questions=questions)

    assert result.outcome == "review"
    assert _codes(result) == ["METAL_ALLERGY"]
    assert "not true/false" in result.flags[0].error
    assert result.flags[0].evidence == {"metal_allergy": "yes"}


def test_a_wrong_typed_date_answer_inside_a_rule_gives_a_review_flag() -> None:
    questions = copy.deepcopy(QUESTIONS)
    next(q for q in questions if q["code"] == "isotretinoin_last_taken")["required"] = False

    result = _screen(_answers(isotretinoin_last_taken="2026-12-01"), questions=questions)

    assert result.outcome == "review"
    assert result.flags[0].error


def test_a_rule_that_is_not_even_a_dict_still_only_gives_review() -> None:
    result = _screen(_answers(), rules=RULES + ["ACTIVE_ACNE"])  # type: ignore[list-item]

    assert result.outcome == "review"
    assert result.flags[0].error


@pytest.mark.parametrize(
    "broken",
    [
        {"severity": "maybe"},
        {"match": "most"},
        {"conditions": []},
        {"treatments": "face"},
    ],
)
def test_a_malformed_rule_field_gives_a_review_flag(broken: dict[str, Any]) -> None:
    rules = [_rule("ODD", "block", {"question": "metal_allergy", "op": "is_false"}) | broken]

    result = _screen(_answers(), rules=rules)

    assert result.outcome == "review"
    assert result.flags[0].error


def test_a_defer_rule_that_fires_without_a_date_window_gives_review() -> None:
    rules = [_rule("ODD", "defer", {"question": "metal_allergy", "op": "is_true"})]

    result = _screen(_answers(metal_allergy=True), rules=rules, questions=QUESTIONS)

    assert result.outcome == "review"
    assert "date window" in result.flags[0].error


def test_a_broken_rule_does_not_stop_the_others_from_blocking() -> None:
    rules = [_rule("BROKEN", "review", {"question": "x", "op": "y"})] + RULES

    result = _screen(_answers(active_acne=True), rules=rules)

    assert result.outcome == "not_suitable"
    assert _codes(result) == ["BROKEN", "ACTIVE_ACNE"]


def test_a_broken_condition_is_reported_even_when_an_earlier_one_already_failed() -> None:
    rules = [
        _rule(
            "HALF",
            "block",
            {"question": "active_acne", "op": "is_true"},
            {"question": "active_acne", "op": "nonsense"},
        )
    ]

    result = _screen(_answers(active_acne=False), rules=rules)

    assert result.outcome == "review"


def test_a_birth_date_that_cannot_be_checked_does_not_pass_the_age_rule() -> None:
    questions = copy.deepcopy(QUESTIONS)
    next(q for q in questions if q["code"] == "date_of_birth")["nullable"] = True

    result = _screen(_answers(date_of_birth=None), questions=questions)

    assert result.outcome == "review"
    assert _codes(result) == ["UNDER_18"]


# --- operators and matching ---------------------------------------------------


def test_not_equals_fires_on_a_different_present_answer_only() -> None:
    rules = [_rule("NOT_NONE", "review", {"question": "diabetes", "op": "not_equals", "value": "none"})]

    assert _screen(_answers(diabetes="controlled"), rules=rules).outcome == "review"
    assert _screen(_answers(diabetes="none"), rules=rules).outcome == "eligible"


def test_in_fires_when_the_choice_is_listed() -> None:
    rules = [_rule("ANY_DIABETES", "review", {"question": "diabetes", "op": "in", "value": ["controlled", "uncontrolled"]})]

    assert _screen(_answers(diabetes="controlled"), rules=rules).outcome == "review"
    assert _screen(_answers(diabetes="none"), rules=rules).outcome == "eligible"


def test_contains_any_fires_when_one_ticked_choice_is_listed() -> None:
    rules = [_rule("ROSACEA", "info", {"question": "concerns", "op": "contains_any", "value": ["rosacea", "hair_loss"]})]

    assert _codes(_screen(_answers(concerns=["wrinkles", "rosacea"]), rules=rules)) == ["ROSACEA"]
    assert _codes(_screen(_answers(concerns=["wrinkles"]), rules=rules)) == []


def test_equals_never_matches_true_with_a_text_value() -> None:
    rules = [_rule("TEXTY", "block", {"question": "active_acne", "op": "equals", "value": "true"})]

    result = _screen(_answers(active_acne=True), rules=rules)

    assert result.outcome == "review"
    assert result.flags[0].error


def test_all_conditions_must_hold_and_the_earliest_window_end_is_the_date() -> None:
    rule = _rule(
        "BOTH",
        "defer",
        {"question": "retinoid_last_used", "op": "within_days", "value": 5},
        {"question": "peel_or_laser_last_date", "op": "within_days", "value": 14},
    )
    both = _answers(retinoid_last_used=DAY, peel_or_laser_last_date=DAY)

    assert _screen(both, rules=[rule]).eligible_from == DAY + timedelta(days=5)
    assert _screen(_answers(retinoid_last_used=DAY), rules=[rule]).outcome == "eligible"


def test_any_condition_may_hold_and_the_latest_firing_window_end_is_the_date() -> None:
    rule = _rule(
        "EITHER",
        "defer",
        {"question": "retinoid_last_used", "op": "within_days", "value": 5},
        {"question": "peel_or_laser_last_date", "op": "within_days", "value": 14},
        match="any",
    )

    both = _screen(_answers(retinoid_last_used=DAY, peel_or_laser_last_date=DAY), rules=[rule])
    one = _screen(_answers(retinoid_last_used=DAY), rules=[rule])

    assert both.eligible_from == DAY + timedelta(days=14)
    assert one.eligible_from == DAY + timedelta(days=5)
    assert one.flags[0].evidence == {"retinoid_last_used": DAY.isoformat()}


@pytest.mark.parametrize(("op", "fires"), [("gt", False), ("gte", True), ("lt", False), ("lte", True)])
def test_comparison_operators_compare_numbers(op: str, fires: bool) -> None:
    questions = [{"code": "units", "type": "number", "required": False}]
    rules = [_rule("UNITS", "review", {"question": "units", "op": op, "value": 3})]

    result = _screen({"units": 3}, rules=rules, questions=questions)

    assert (result.outcome == "review") is fires


def test_within_days_fits_date_questions_only() -> None:
    assert OPERATORS["within_days"].fits == {"date"}
    assert "date" not in OPERATORS["equals"].fits


# --- the result -----------------------------------------------------------------


def test_the_result_serialises_to_the_screen_command_json_shape() -> None:
    result = _screen(_answers(metal_allergy=True, retinoid_last_used=DAY - timedelta(days=2)))

    data = json.loads(json.dumps(result.to_dict()))

    assert data["outcome"] == "review"
    assert data["eligible_from"] == "2027-01-18"
    assert data["missing"] == []
    retinoid = next(flag for flag in data["flags"] if flag["rule"] == "RETINOID")
    assert retinoid == {
        "rule": "RETINOID",
        "name": RULES_BY_CODE["RETINOID"]["name"],
        "severity": "defer",
        "evidence": {"retinoid_last_used": "2027-01-13"},
        "eligible_from": "2027-01-18",
        "staff_message": "Topical retinoid or acid on the area within 5 days (last used 13 January 2027): "
        "increased irritation; stop at least 5 days before treatment.",
        "patient_message": "Please stop using retinol, retinoid or acid products on the area for 5 days before "
        "your treatment. You can book from 18 January 2027.",
        "revision": 1,
        "error": None,
    }


def test_a_stored_result_can_be_read_back_unchanged() -> None:
    result = _screen(_answers(metal_allergy=True, retinoid_last_used=DAY - timedelta(days=2)))

    assert ScreeningResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_screening_does_not_change_the_answers_rules_or_questions() -> None:
    answers = _answers(blood_thinners=False, blood_thinners_detail="old")
    before = copy.deepcopy((answers, RULES, QUESTIONS))

    _screen(answers)

    assert (answers, RULES, QUESTIONS) == before


def test_a_flag_is_immutable() -> None:
    flag = _screen(_answers(active_acne=True)).flags[0]

    with pytest.raises(AttributeError):
        flag.severity = "info"  # type: ignore[misc]
    assert isinstance(flag, Flag)


# --- properties -------------------------------------------------------------------

_YES_NO = [q["code"] for q in QUESTIONS if q["type"] == "yes_no" and q["code"] != "consent_risks"]
_LAST_DATES = [q["code"] for q in QUESTIONS if q["type"] == "date" and q["code"] != "date_of_birth"]

_variations = st.fixed_dictionaries(
    {code: st.booleans() for code in _YES_NO}
    | {code: st.one_of(st.none(), st.integers(0, 800).map(lambda n: DAY - timedelta(days=n))) for code in _LAST_DATES}
    | {
        "diabetes": st.sampled_from(["none", "controlled", "uncontrolled"]),
        "date_of_birth": st.integers(15 * 365, 60 * 365).map(lambda n: DAY - timedelta(days=n)),
    }
)


@settings(max_examples=200, deadline=None)
@given(_variations, st.sampled_from(["face", "scalp", "body"]))
def test_the_outcome_is_the_strongest_flag_and_eligible_only_without_any(variation: dict, treatment: str) -> None:
    result = _screen(_answers(**variation), treatment=treatment)

    severities = {flag.severity for flag in result.flags}
    expected = (
        "not_suitable" if "block" in severities
        else "review" if "review" in severities
        else "deferred" if "defer" in severities
        else "eligible"
    )
    assert result.outcome == expected
    if result.outcome == "deferred":
        assert result.eligible_from == max(flag.eligible_from for flag in result.flags)
        assert result.eligible_from > DAY


@settings(max_examples=200, deadline=None)
@given(_variations, st.sampled_from([q["code"] for q in QUESTIONS if q["required"]]))
def test_leaving_out_any_required_answer_is_never_eligible(variation: dict, dropped: str) -> None:
    answers = _answers(**variation)
    del answers[dropped]

    result = _screen(answers)

    assert result.outcome in {"not_suitable", "incomplete"}
    assert dropped in result.missing


def test_the_default_rules_are_valid() -> None:
    assert {rule["code"]: validate_rule(rule, QUESTIONS) for rule in RULES} == {rule["code"]: [] for rule in RULES}


# --- validate_rule ------------------------------------------------------------------


def _fields(rule: dict[str, Any]) -> dict[str, str]:
    return {field: message for field, message in validate_rule(rule, QUESTIONS)}


def test_validate_rule_names_an_unknown_question() -> None:
    errors = _fields(_rule("X", "review", {"question": "shoe_size", "op": "is_true"}))

    assert "shoe_size" in errors["conditions"]


def test_validate_rule_refuses_an_operator_that_does_not_fit_the_question_type() -> None:
    errors = _fields(_rule("X", "review", {"question": "diabetes", "op": "within_days", "value": 5}))

    assert "does not fit" in errors["conditions"]


def test_validate_rule_asks_for_the_window_of_a_date_operator() -> None:
    errors = _fields(_rule("X", "defer", {"question": "retinoid_last_used", "op": "within_days"}))

    assert "window" in errors["conditions"]


def test_validate_rule_refuses_an_empty_patient_message() -> None:
    errors = _fields(_rule("X", "review", {"question": "metal_allergy", "op": "is_true"}, patient_message="  "))

    assert set(errors) == {"patient_message"}


def test_validate_rule_refuses_a_defer_rule_without_a_date_window() -> None:
    errors = _fields(_rule("X", "defer", {"question": "metal_allergy", "op": "is_true"}))

    assert "date window" in errors["conditions"]


def test_validate_rule_refuses_a_choice_that_the_question_does_not_offer() -> None:
    errors = _fields(_rule("X", "review", {"question": "diabetes", "op": "equals", "value": "type_3"}))

    assert "type_3" in errors["conditions"]


def test_validate_rule_refuses_an_unknown_severity_and_match() -> None:
    errors = _fields(_rule("X", "maybe", {"question": "metal_allergy", "op": "is_true"}, match="most"))

    assert set(errors) == {"severity", "match"}


def test_validate_rule_accepts_a_well_formed_rule() -> None:
    assert validate_rule(_rule("X", "review", {"question": "diabetes", "op": "in", "value": ["controlled"]}), QUESTIONS) == []
