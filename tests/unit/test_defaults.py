"""The default questionnaire and rules (INTAKE.md and issue 18): complete, consistent, and their examples hold."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from screening.questionnaire.defaults import QUESTIONS, RULES, STEPS, TREATMENT_CODES, baseline_answers
from screening.rules import OPERATORS, parse_answers, screen, validate_rule

QUESTIONS_BY_CODE = {q["code"]: q for q in QUESTIONS}

# The contract table of INTAKE.md and issue 18 ("Clinical rules, round two"): code -> severity.
INTAKE_RULES = {
    "BLEEDING_DISORDER": "review",
    "BLOOD_THINNERS": "review",
    "ACTIVE_INFECTION": "block",
    "ACTIVE_ACNE": "block",
    "KELOID": "block",
    "RAISED_SCARS": "review",
    "UNSTABLE_SKIN": "block",
    "WARTS": "block",
    "TATTOO": "info",
    "PREGNANCY": "block",
    "PREGNANCY_UNSURE": "review",
    "SKIN_CANCER": "block",
    "UNDER_18": "defer",
    "ISOTRETINOIN_CURRENT": "block",
    "ISOTRETINOIN": "defer",
    "PEEL_OR_LASER": "defer",
    "DEEP_RESURFACING": "defer",
    "TOXIN": "defer",
    "FILLER": "defer",
    "RETINOID": "defer",
    "SESSION_INTERVAL": "defer",
    "COLD_SORES": "review",
    "IMMUNOSUPPRESSED": "review",
    "DIABETES_UNCONTROLLED": "review",
    "AUTOIMMUNE": "review",
    "KOEBNER": "review",
    "PIGMENTATION": "review",
    "PREVIOUS_REACTION": "review",
    "RADIATION": "review",
    "ANESTHETIC_ALLERGY": "review",
    "METAL_ALLERGY": "review",
    "MEDICINE_MENTIONED": "review",
    "MEDICINES_LISTED": "info",
    "CHANGED_SINCE_LAST_VISIT": "review",  # issue 14: the check's "anything else changed?"
}

INTAKE_QUESTIONS = [
    "first_name", "last_name", "date_of_birth", "email", "phone",
    "concerns",
    "active_skin_infection", "active_acne", "unstable_skin", "warts_in_area", "skin_cancer_in_area", "tattoo_in_area",
    "cold_sore_history",
    "keloid_history", "raised_scar_history", "pigmentation_history", "koebner_condition", "autoimmune_condition",
    "previous_reaction",
    "bleeding_disorder", "blood_thinners", "blood_thinners_detail", "pregnant_or_breastfeeding", "immunosuppressed",
    "diabetes", "anesthetic_allergy", "metal_allergy",
    "isotretinoin_current", "isotretinoin_last_taken", "retinoid_last_used", "medications", "other_allergies",
    "radiation_last_date", "peel_or_laser_last_date", "deep_resurfacing_last_date", "toxin_last_date",
    "filler_last_date", "last_microneedling_date", "anything_changed",
    "consent_risks", "consent_signature",
]
LAST_TIME_QUESTIONS = [
    "isotretinoin_last_taken", "radiation_last_date", "retinoid_last_used", "peel_or_laser_last_date",
    "deep_resurfacing_last_date", "toxin_last_date", "filler_last_date", "last_microneedling_date",
]
HEALTH_STEPS = {3, 4, 5, 6, 7}

# Words a patient should not have to look up.
JARGON = re.compile(
    r"contraindicat|herpe|simplex|anticoagul|antiplatelet|hypertrophic|keloid|dermatos|immunosuppress|"
    r"prophyla|naev|kerato|lesion|koebner|physician|oncolog|hypersensitiv|patient",
    re.IGNORECASE,
)


def _examples() -> list[Any]:
    return [
        pytest.param(rule, example, id=f"{rule['code']}-{number}")
        for rule in RULES
        for number, example in enumerate(rule["examples"], start=1)
    ]


@pytest.mark.parametrize(("rule", "example"), _examples())
def test_every_default_rule_example_gives_its_expected_outcome(rule: dict, example: dict) -> None:
    on_date = date.fromisoformat(example["on_date"])
    answers = baseline_answers(on_date) | parse_answers(example["answers"], QUESTIONS, today=on_date)

    result = screen(answers, rules=RULES, questions=QUESTIONS, treatment=example["treatment"], on_date=on_date)

    assert result.outcome == example["expected"]
    # Another rule's info flag may come along ("aspirin-free" is written, so MEDICINES_LISTED notes it).
    fired = [flag.rule for flag in result.flags if flag.severity != "info" or flag.rule == rule["code"]]
    if rule["severity"] == "info":
        # An info rule changes no outcome: its first example fires, the others do not.
        assert fired == ([rule["code"]] if example is rule["examples"][0] else [])
    else:
        assert fired == ([] if example["expected"] == "eligible" else [rule["code"]])
    if "eligible_from" in example:
        assert result.eligible_from == date.fromisoformat(example["eligible_from"])


@pytest.mark.parametrize("rule", RULES, ids=[rule["code"] for rule in RULES])
def test_every_default_rule_has_an_example_where_it_fires_and_one_where_it_does_not(rule: dict) -> None:
    outcomes = {example["expected"] for example in rule["examples"]}

    assert "eligible" in outcomes
    assert outcomes - {"eligible"} or (rule["severity"] == "info" and len(rule["examples"]) >= 2)


@pytest.mark.parametrize("treatment", TREATMENT_CODES)
@pytest.mark.parametrize("on_date", [date(2027, 1, 15), date(2028, 2, 29), date(2030, 12, 31)])
def test_the_baseline_answers_screen_eligible_for_every_treatment(treatment: str, on_date: date) -> None:
    result = screen(baseline_answers(on_date), rules=RULES, questions=QUESTIONS, treatment=treatment, on_date=on_date)

    assert (result.outcome, result.flags, result.missing) == ("eligible", [], [])


def test_the_baseline_answers_every_question_that_is_always_shown() -> None:
    # The full intake form's: a question only the check before a next visit asks is not in it.
    always_shown = {q["code"] for q in QUESTIONS if not q["show_when"] and q["kind"] != "since_last_visit"}

    assert set(baseline_answers(date(2027, 1, 15))) == always_shown


def test_the_default_rules_are_those_of_intake_md_and_issue_18_with_their_severities() -> None:
    assert {rule["code"]: rule["severity"] for rule in RULES} == INTAKE_RULES
    assert [rule["code"] for rule in RULES] == list(INTAKE_RULES)


def test_only_the_cold_sore_toxin_and_filler_rules_are_limited_to_the_face() -> None:
    scoped = {rule["code"]: rule["treatments"] for rule in RULES if rule["treatments"]}

    assert scoped == {"COLD_SORES": ["face"], "TOXIN": ["face"], "FILLER": ["face"]}


@pytest.mark.parametrize(
    ("code", "question", "op", "value"),
    [
        ("UNDER_18", "date_of_birth", "age_under", 18),
        ("ISOTRETINOIN", "isotretinoin_last_taken", "within_days", 183),
        ("PEEL_OR_LASER", "peel_or_laser_last_date", "within_days", 14),
        ("RETINOID", "retinoid_last_used", "within_days", 5),
        ("SESSION_INTERVAL", "last_microneedling_date", "within_days", 28),
        ("DEEP_RESURFACING", "deep_resurfacing_last_date", "within_days", 30),
        ("TOXIN", "toxin_last_date", "within_days", 14),
        ("FILLER", "filler_last_date", "within_days", 14),
        ("DIABETES_UNCONTROLLED", "diabetes", "equals", "uncontrolled"),
    ],
)
def test_the_date_and_choice_rules_use_the_windows_of_intake_md(code: str, question: str, op: str, value: Any) -> None:
    rule = next(rule for rule in RULES if rule["code"] == code)

    assert rule["conditions"] == [{"question": question, "op": op, "value": value}]


def test_radiation_fires_for_any_date_and_bleeding_for_yes_or_not_sure() -> None:
    rules = {rule["code"]: rule for rule in RULES}

    assert rules["RADIATION"]["conditions"] == [{"question": "radiation_last_date", "op": "has_date"}]
    assert (rules["BLEEDING_DISORDER"]["match"], rules["BLEEDING_DISORDER"]["conditions"]) == ("any", [
        {"question": "bleeding_disorder", "op": "is_true"}, {"question": "bleeding_disorder", "op": "is_not_sure"},
    ])
    assert rules["PREGNANCY_UNSURE"]["conditions"] == [{"question": "pregnant_or_breastfeeding", "op": "is_not_sure"}]


def test_only_pregnancy_and_bleeding_disorder_accept_not_sure() -> None:
    assert {q["code"] for q in QUESTIONS if q.get("not_sure")} == {"pregnant_or_breastfeeding", "bleeding_disorder"}


def test_the_radiation_never_box_says_never_only() -> None:
    assert QUESTIONS_BY_CODE["radiation_last_date"]["never_label"] == "Never"
    assert all("last few years" in QUESTIONS_BY_CODE[code]["never_label"]
               for code in LAST_TIME_QUESTIONS if code != "radiation_last_date")


@pytest.mark.parametrize("rule", RULES, ids=[rule["code"] for rule in RULES])
def test_every_default_rule_is_valid_revision_one_with_both_messages(rule: dict) -> None:
    assert validate_rule(rule, QUESTIONS) == []
    assert rule["revision"] == 1
    assert rule["name"] and rule["staff_message"] and rule["patient_message"]
    assert rule["staff_message"] != rule["patient_message"]


@pytest.mark.parametrize("rule", RULES, ids=[rule["code"] for rule in RULES])
def test_patient_messages_are_plain_language(rule: dict) -> None:
    assert not JARGON.search(rule["patient_message"]), JARGON.search(rule["patient_message"])


@pytest.mark.parametrize("rule", [r for r in RULES if r["severity"] == "block"], ids=lambda r: r["code"])
def test_a_refusal_advises_speaking_with_a_doctor(rule: dict) -> None:
    assert "doctor" in rule["patient_message"]


def test_the_questions_are_those_of_intake_md_in_order() -> None:
    assert [q["code"] for q in QUESTIONS] == INTAKE_QUESTIONS


def test_anything_changed_is_asked_between_visits_only_and_its_rule_reads_any_answer_but_no() -> None:
    from screening.questionnaire.seed import ASKED_AGAIN

    (question,) = [q for q in QUESTIONS if q["code"] == "anything_changed"]
    assert (question["kind"], question["type"], question["required"]) == ("since_last_visit", "text", False)
    assert "anything_changed" in ASKED_AGAIN
    (rule,) = [r for r in RULES if r["code"] == "CHANGED_SINCE_LAST_VISIT"]
    assert rule["conditions"] == [{"question": "anything_changed", "op": "says_something"}]


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["code"] for q in QUESTIONS])
def test_every_question_is_well_formed(question: dict) -> None:
    assert question["type"] in {"yes_no", "date", "choice", "multi", "text"}
    assert question["step"] in {step["number"] for step in STEPS}
    assert question["label"].strip()
    assert isinstance(question["help_text"], str)
    if question["type"] in {"choice", "multi"}:
        assert question["choices"] and list(question["choice_labels"]) == question["choices"]
    else:
        assert "choices" not in question
    if question["type"] == "text":
        assert question["max_length"] > 0
    if question["show_when"]:
        assert question["show_when"]["question"] in QUESTIONS_BY_CODE


def test_questions_follow_their_steps_in_order() -> None:
    steps = [q["step"] for q in QUESTIONS]

    assert steps == sorted(steps)
    assert set(steps) == {step["number"] for step in STEPS} == {1, 2, 3, 4, 5, 6, 7, 8}
    assert all(step["title"] and step["intro"] for step in STEPS)


@pytest.mark.parametrize("step", sorted(HEALTH_STEPS))
def test_no_health_step_asks_more_than_eight_questions(step: int) -> None:
    assert 1 <= len([q for q in QUESTIONS if q["step"] == step]) <= 8


@pytest.mark.parametrize(
    ("step", "codes"),
    [
        (1, {"first_name", "last_name", "date_of_birth", "email", "phone"}),
        (2, {"concerns"}),
        (3, {"active_skin_infection", "active_acne", "unstable_skin", "warts_in_area", "skin_cancer_in_area",
             "tattoo_in_area", "cold_sore_history"}),
        (5, {"bleeding_disorder", "blood_thinners", "blood_thinners_detail", "pregnant_or_breastfeeding",
             "immunosuppressed", "diabetes", "anesthetic_allergy", "metal_allergy"}),
        (8, {"consent_risks", "consent_signature"}),
    ],
)
def test_each_step_holds_its_questions(step: int, codes: set[str]) -> None:
    assert {q["code"] for q in QUESTIONS if q["step"] == step} == codes


@pytest.mark.parametrize("code", LAST_TIME_QUESTIONS)
def test_last_time_questions_are_required_past_only_accept_never_and_a_month(code: str) -> None:
    question = QUESTIONS_BY_CODE[code]

    assert (question["type"], question["required"], question["past_only"], question["nullable"],
            question["month_ok"]) == ("date", True, True, True, True)


def test_the_date_of_birth_is_required_in_the_past_and_never_is_not_an_answer() -> None:
    question = QUESTIONS_BY_CODE["date_of_birth"]

    assert (question["required"], question["past_only"], question["nullable"]) == (True, True, False)


def test_contact_details_are_required_except_the_phone() -> None:
    required = {code: QUESTIONS_BY_CODE[code]["required"] for code in ("first_name", "last_name", "email", "phone")}

    assert required == {"first_name": True, "last_name": True, "email": True, "phone": False}


def test_every_health_question_is_required_except_the_free_text_ones() -> None:
    health = [q for q in QUESTIONS if q["step"] in HEALTH_STEPS]

    optional = {q["code"] for q in health if not q["required"]}

    assert optional == {"blood_thinners_detail", "medications", "other_allergies", "anything_changed"}


def test_the_blood_thinner_detail_is_optional_text_shown_only_for_blood_thinners() -> None:
    question = QUESTIONS_BY_CODE["blood_thinners_detail"]

    assert (question["type"], question["required"], question["show_when"]) == (
        "text",
        False,
        {"question": "blood_thinners", "value": True},
    )


def test_consent_must_be_given_and_signed() -> None:
    risks, signature = QUESTIONS_BY_CODE["consent_risks"], QUESTIONS_BY_CODE["consent_signature"]

    assert (risks["type"], risks["required"], risks["must_be_true"]) == ("yes_no", True, True)
    assert (signature["type"], signature["required"]) == ("text", True)


def test_the_consent_lists_the_risks_of_intake_md() -> None:
    text = QUESTIONS_BY_CODE["consent_risks"]["help_text"].lower()

    for risk in ("swelling", "discomfort", "redness", "bruising", "dryness", "flaking", "infection", "colour", "reaction", "bleed"):
        assert risk in text


def test_the_diabetes_choices_are_the_contract_codes() -> None:
    assert QUESTIONS_BY_CODE["diabetes"]["choices"] == ["none", "controlled", "uncontrolled"]


def test_the_concern_choices_are_the_contract_codes() -> None:
    assert QUESTIONS_BY_CODE["concerns"]["choices"] == [
        "wrinkles", "acne_scars", "other_scars", "hair_loss", "pigmentation",
        "stretch_marks", "rosacea", "loose_skin", "sun_damage",
    ]


def test_every_rule_condition_uses_an_operator_that_fits_its_question() -> None:
    for rule in RULES:
        for condition in rule["conditions"]:
            assert QUESTIONS_BY_CODE[condition["question"]]["type"] in OPERATORS[condition["op"]].fits
