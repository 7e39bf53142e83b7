"""The default rule set, part one: what the patient has or is now (docs/clinical-rules.md explains each).

Rule codes are a contract; the wording is ours, with placeholders the engine fills
(``screening.rules.messages``). Part two is ``default_rules_history.py``;
``screening.questionnaire.defaults.RULES`` is both. Nothing here imports Django.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

__all__ = ["RULES_NOW"]

def _flag_rule(
    code: str,
    name: str,
    severity: str,
    question: str,
    staff_message: str,
    patient_message: str,
    examples: list[dict[str, Any]],
    *,
    treatments: list[str] | None = None,
    op: str = "is_true",
    value: Any = None,
    conditions: list[dict[str, Any]] | None = None,
    match: str = "all",
) -> dict[str, Any]:
    condition: dict[str, Any] = {"question": question, "op": op}
    if value is not None:
        condition["value"] = value
    return {
        "code": code,
        "name": name,
        "severity": severity,
        "treatments": list(treatments or []),
        "match": match,
        "conditions": conditions or [condition],
        "staff_message": staff_message,
        "patient_message": patient_message,
        "revision": 1,
        "examples": examples,
    }


_DAY = "2027-01-15"  # the appointment date of every example


def _example(answers: dict[str, Any], expected: str, treatment: str = "face", **extra: Any) -> dict[str, Any]:
    return {"answers": answers, "treatment": treatment, "on_date": _DAY, "expected": expected, **extra}


def _yes_examples(question: str, when_yes: str) -> list[dict[str, Any]]:
    return [_example({question: True}, when_yes), _example({question: False}, "eligible")]


def _window_examples(question: str, days: int) -> list[dict[str, Any]]:
    """The last day it defers, and the first it does not, for a ``days``-day window before 2027-01-15."""
    day = date.fromisoformat(_DAY)
    deferred, clear = day - timedelta(days=days - 1), day - timedelta(days=days)
    return [
        _example({question: deferred.isoformat()}, "deferred", eligible_from=(day + timedelta(days=1)).isoformat()),
        _example({question: clear.isoformat()}, "eligible"),
    ]


_REVIEW_PATIENT = "One of our clinicians will look at your answers before your appointment is confirmed. "
_BLOCK_DOCTOR = "Please speak with your doctor, who can advise you."
_FROM_DATE = "You can book from {eligible_from}."

RULES_NOW: list[dict[str, Any]] = [
    _flag_rule(
        "BLEEDING_DISORDER",
        "Bleeding or clotting disorder (or not sure)",
        "review",
        "bleeding_disorder",
        "Patient reports a bleeding or clotting disorder, or is not sure: risk of prolonged bleeding and "
        "bruising. Obtain details and clearance from the patient's physician before treatment.",
        _REVIEW_PATIENT + "Because you may bleed or bruise more easily, we may ask your doctor's advice first.",
        [*_yes_examples("bleeding_disorder", "review"), _example({"bleeding_disorder": "not_sure"}, "review")],
        match="any",
        conditions=[{"question": "bleeding_disorder", "op": "is_true"},
                    {"question": "bleeding_disorder", "op": "is_not_sure"}],
    ),
    _flag_rule(
        "BLOOD_THINNERS",
        "Blood-thinning medication",
        "review",
        "blood_thinners",
        "Patient takes anticoagulant or antiplatelet medication (see blood_thinners_detail): increased "
        "bleeding and bruising. Do not advise stopping medication; check with the prescriber.",
        _REVIEW_PATIENT + "Please keep taking your medicine as prescribed unless your doctor tells you otherwise.",
        _yes_examples("blood_thinners", "review"),
    ),
    _flag_rule(
        "ACTIVE_INFECTION",
        "Active infection or open wound in the area",
        "block",
        "active_skin_infection",
        "Active infection, open wound or herpetic lesion in or near the treatment area: needling can "
        "spread infection. Do not treat until fully healed.",
        "Microneedling isn't safe while there is an infection, open wound or cold sore in or near the area. "
        "Once it has fully healed, you're welcome to fill in this form again. " + _BLOCK_DOCTOR,
        _yes_examples("active_skin_infection", "not_suitable"),
    ),
    _flag_rule(
        "ACTIVE_ACNE",
        "Active inflamed acne in the area",
        "block",
        "active_acne",
        "Active inflammatory acne in the treatment area: risk of spreading bacteria and worsening "
        "inflammation. Treat the acne first.",
        "Microneedling isn't suitable while there are inflamed spots in the area, as it can make them worse. "
        "Your doctor can help calm them down, and you're welcome to come back after that.",
        _yes_examples("active_acne", "not_suitable"),
    ),
    _flag_rule(
        "KELOID",
        "Keloid scarring",
        "block",
        "keloid_history",
        "History of keloid scarring: microneedling may trigger new keloids.",
        "Because your skin has formed a scar that kept growing before, microneedling could cause a new one, so we "
        "can't offer it to you. " + _BLOCK_DOCTOR,
        _yes_examples("keloid_history", "not_suitable"),
    ),
    _flag_rule(
        "RAISED_SCARS",
        "Raised (hypertrophic) scars",
        "review",
        "raised_scar_history",
        "Tendency to hypertrophic (raised, within the wound margin) scarring: not keloid. Microneedling "
        "treats such scars, but assess the risk of new ones; consider a test patch.",
        _REVIEW_PATIENT + "Because your scars can become raised, we'll check how best to treat you.",
        _yes_examples("raised_scar_history", "review"),
    ),
    _flag_rule(
        "UNSTABLE_SKIN",
        "Irritated or unstable skin in the area",
        "block",
        "unstable_skin",
        "Flaring dermatosis (eczema, psoriasis, rosacea), sunburn or irritated skin in the treatment "
        "area: treat only once the skin is stable.",
        "Microneedling isn't suitable while the skin in the area is irritated, sunburnt or flaring up. "
        "Once your skin has settled, you're welcome to fill in this form again. If it doesn't settle, "
        "please speak with your doctor.",
        _yes_examples("unstable_skin", "not_suitable"),
    ),
    _flag_rule(
        "WARTS",
        "Warts or molluscum in the area",
        "block",
        "warts_in_area",
        "Viral warts or molluscum contagiosum in the treatment area: needling can spread them (autoinoculation). "
        "Treat them first.",
        "Microneedling could spread warts or molluscum to other skin, so we can't treat the area while they are "
        "there. Once they have cleared, you're welcome to fill in this form again. " + _BLOCK_DOCTOR,
        _yes_examples("warts_in_area", "not_suitable"),
    ),
    _flag_rule(
        "TATTOO",
        "Tattoo or permanent make-up in the area",
        "info",
        "tattoo_in_area",
        "Tattoo or permanent make-up in the treatment area: avoid needling over the pigment.",
        "Your practitioner will work around your tattoo or permanent make-up.",
        _yes_examples("tattoo_in_area", "eligible"),
    ),
    _flag_rule(
        "PREGNANCY",
        "Pregnant or breastfeeding",
        "block",
        "pregnant_or_breastfeeding",
        "Pregnant or breastfeeding: not treated per clinic policy (safety of the procedure and of "
        "topical agents not established).",
        "We don't offer microneedling during pregnancy or while breastfeeding. We'd be glad to see you "
        "afterwards. Your doctor or midwife can advise you in the meantime.",
        _yes_examples("pregnant_or_breastfeeding", "not_suitable"),
    ),
    _flag_rule(
        "PREGNANCY_UNSURE",
        "Not sure whether pregnant or breastfeeding",
        "review",
        "pregnant_or_breastfeeding",
        "Patient is not sure whether they are pregnant or breastfeeding: confirm before treatment (clinic "
        "policy: no treatment during pregnancy or breastfeeding).",
        _REVIEW_PATIENT + "We'll talk with you about it first, as we don't treat during pregnancy.",
        [_example({"pregnant_or_breastfeeding": "not_sure"}, "review"),
         _example({"pregnant_or_breastfeeding": False}, "eligible")],
        op="is_not_sure",
    ),
    _flag_rule(
        "SKIN_CANCER",
        "Skin cancer or suspicious lesions in the area",
        "block",
        "skin_cancer_in_area",
        "Skin cancer, actinic keratoses or changing naevi in the treatment area: do not needle; refer "
        "for dermatological assessment.",
        "We can't offer microneedling on an area with skin cancer, spots that could become cancer, or "
        "moles that are changing. Please speak with your doctor, who can check the area for you.",
        _yes_examples("skin_cancer_in_area", "not_suitable"),
    ),
    _flag_rule(
        "UNDER_18",
        "Under 18 on the appointment date",
        "defer",
        "date_of_birth",
        "Patient is under 18 on the appointment date: the clinic treats adults only. Eligible from the "
        "18th birthday, {eligible_from}.",
        "Our clinic offers microneedling to adults only. You're welcome to book from your 18th birthday, "
        "{eligible_from}.",
        [
            _example({"date_of_birth": "2009-01-16"}, "deferred", eligible_from="2027-01-16",
                     note="turns 18 the day after"),
            _example({"date_of_birth": "2009-01-15"}, "eligible", note="18th birthday on the day"),
        ],
        op="age_under",
        value=18,
    ),
]
