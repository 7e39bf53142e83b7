"""The default rule set, part two: medicines, past treatments and the skin's history.

See ``default_rules.py`` (part one, and the helpers both use). Nothing here imports Django.
"""

from __future__ import annotations

from typing import Any

from screening.questionnaire.default_rules import (
    _FROM_DATE,
    _REVIEW_PATIENT,
    _example,
    _flag_rule,
    _window_examples,
    _yes_examples,
)

__all__ = ["RULES_HISTORY"]

RULES_HISTORY: list[dict[str, Any]] = [
    _flag_rule(
        "ISOTRETINOIN_CURRENT",
        "Taking isotretinoin now",
        "block",
        "isotretinoin_current",
        "Patient is taking isotretinoin: impaired wound healing and risk of atypical scarring. Not treated "
        "while on it; the ISOTRETINOIN rule defers from the last dose.",
        "Microneedling isn't suitable while you are taking isotretinoin, as your skin can't heal well. You "
        "can book from 6 months after your last dose: please fill in this form again then. Your doctor can "
        "tell you more.",
        _yes_examples("isotretinoin_current", "not_suitable"),
    ),
    _flag_rule(
        "ISOTRETINOIN",
        "Isotretinoin taken recently",
        "defer",
        "isotretinoin_last_taken",
        "Isotretinoin within the last {window} (last dose {last_date}): impaired wound healing and risk of "
        "atypical scarring. Defer until {eligible_from}.",
        "Because you have taken isotretinoin (Accutane, Roaccutane) in the last {window}, your skin needs "
        "more time to heal well. " + _FROM_DATE,
        [
            _example({"isotretinoin_last_taken": "2026-07-17"}, "deferred", eligible_from="2027-01-16"),
            _example({"isotretinoin_last_taken": "2026-07-16"}, "eligible"),
            _example({"isotretinoin_last_taken": "2026-07"}, "deferred", eligible_from="2027-01-30",
                     note="a month: screened as its last day"),
        ],
        op="within_days",
        value=183,
    ),
    _flag_rule(
        "PEEL_OR_LASER",
        "Peel, laser or IPL recently",
        "defer",
        "peel_or_laser_last_date",
        "Chemical peel, laser or IPL to the area on {last_date}, within {window}: allow the skin barrier to "
        "recover.",
        "Your skin needs {window} to recover after a peel, laser or light treatment. " + _FROM_DATE,
        _window_examples("peel_or_laser_last_date", 14),
        op="within_days",
        value=14,
    ),
    _flag_rule(
        "DEEP_RESURFACING",
        "Deep peel, ablative or fractional laser, or dermabrasion recently",
        "defer",
        "deep_resurfacing_last_date",
        "Deep resurfacing (deep peel, ablative or fractional laser, dermabrasion) on {last_date}, within "
        "{window}: allow re-epithelialisation and the barrier to recover.",
        "Your skin needs {window} to recover after a deep peel, laser or dermabrasion. " + _FROM_DATE,
        _window_examples("deep_resurfacing_last_date", 30),
        op="within_days",
        value=30,
    ),
    _flag_rule(
        "TOXIN",
        "Anti-wrinkle injections recently (face)",
        "defer",
        "toxin_last_date",
        "Botulinum toxin in the area on {last_date}, within {window}: needling and massage could spread the "
        "toxin before it settles.",
        "Anti-wrinkle injections need {window} to settle before microneedling on the face. " + _FROM_DATE,
        [*_window_examples("toxin_last_date", 14),
         _example({"toxin_last_date": "2027-01-10"}, "eligible", treatment="scalp")],
        treatments=["face"],
        op="within_days",
        value=14,
    ),
    _flag_rule(
        "FILLER",
        "Dermal filler recently (face)",
        "defer",
        "filler_last_date",
        "Dermal filler in the area on {last_date}, within {window}: risk of displacing the filler or of "
        "infection at the injection sites.",
        "Dermal filler needs {window} to settle before microneedling on the face. " + _FROM_DATE,
        [*_window_examples("filler_last_date", 14),
         _example({"filler_last_date": "2027-01-10"}, "eligible", treatment="body")],
        treatments=["face"],
        op="within_days",
        value=14,
    ),
    _flag_rule(
        "RETINOID",
        "Retinoid or acid used recently",
        "defer",
        "retinoid_last_used",
        "Topical retinoid or acid on the area within {window} (last used {last_date}): increased irritation; "
        "stop at least {window} before treatment.",
        "Please stop using retinol, retinoid or acid products on the area for {window} before your "
        "treatment. " + _FROM_DATE,
        _window_examples("retinoid_last_used", 5),
        op="within_days",
        value=5,
    ),
    _flag_rule(
        "SESSION_INTERVAL",
        "Last microneedling too recent",
        "defer",
        "last_microneedling_date",
        "Previous microneedling on {last_date}, within {window}: keep at least {window} between sessions.",
        "Your skin needs about {window} between microneedling sessions to get the full benefit. " + _FROM_DATE,
        _window_examples("last_microneedling_date", 28),
        op="within_days",
        value=28,
    ),
    _flag_rule(
        "COLD_SORES",
        "History of cold sores (face)",
        "review",
        "cold_sore_history",
        "History of herpes simplex labialis: facial microneedling can trigger reactivation. Consider "
        "antiviral prophylaxis before treatment.",
        _REVIEW_PATIENT + "Treatment on the face can sometimes bring back cold sores, and a simple "
        "medicine beforehand can help prevent that.",
        [
            _example({"cold_sore_history": True}, "review"),
            _example({"cold_sore_history": True}, "eligible", treatment="scalp"),
            _example({"cold_sore_history": True}, "eligible", treatment="body"),
            _example({"cold_sore_history": False}, "eligible"),
        ],
        treatments=["face"],
    ),
    _flag_rule(
        "IMMUNOSUPPRESSED",
        "Weakened immune system",
        "review",
        "immunosuppressed",
        "Immunosuppression (condition or medication): higher infection risk and slower healing. "
        "Clinician to assess; physician clearance may be needed.",
        _REVIEW_PATIENT + "Your skin may heal more slowly, so we'll check that the treatment is right for you.",
        _yes_examples("immunosuppressed", "review"),
    ),
    _flag_rule(
        "DIABETES_UNCONTROLLED",
        "Diabetes not well controlled",
        "review",
        "diabetes",
        "Patient reports poorly controlled diabetes: impaired wound healing and infection risk. "
        "Clinician to assess; consider physician clearance.",
        _REVIEW_PATIENT + "Diabetes that isn't well controlled can slow healing, so we'll check first.",
        [
            _example({"diabetes": "uncontrolled"}, "review"),
            _example({"diabetes": "controlled"}, "eligible"),
        ],
        op="equals",
        value="uncontrolled",
    ),
    _flag_rule(
        "AUTOIMMUNE",
        "Autoimmune or collagen disease",
        "review",
        "autoimmune_condition",
        "Autoimmune or connective tissue disease (e.g. scleroderma, lupus): unpredictable healing and "
        "risk of flare (Koebner phenomenon). Clinician to assess.",
        _REVIEW_PATIENT + "Some conditions can affect how the skin heals, so we'll check first.",
        _yes_examples("autoimmune_condition", "review"),
    ),
    _flag_rule(
        "KOEBNER",
        "Vitiligo, psoriasis or lichen planus (even settled)",
        "review",
        "koebner_condition",
        "History of vitiligo, psoriasis or lichen planus: new lesions may appear at needle sites "
        "(Koebner phenomenon), even when the condition is quiet. Clinician to assess; consider a test patch.",
        _REVIEW_PATIENT + "These conditions can sometimes appear where the skin is treated, so we'll check first.",
        _yes_examples("koebner_condition", "review"),
    ),
    _flag_rule(
        "PIGMENTATION",
        "Dark patches after injury, or melasma",
        "review",
        "pigmentation_history",
        "History of post-inflammatory hyperpigmentation or melasma: risk of new pigment changes after "
        "needling. Consider needle depth, pre-treatment and strict sun protection.",
        _REVIEW_PATIENT + "Your skin can darken after irritation, so we'll plan your treatment to protect it.",
        _yes_examples("pigmentation_history", "review"),
    ),
    _flag_rule(
        "PREVIOUS_REACTION",
        "Bad reaction to microneedling before",
        "review",
        "previous_reaction",
        "Previous adverse reaction to microneedling: find out what happened (infection, granulomas, "
        "pigment change, scarring) and with which products before treating again.",
        _REVIEW_PATIENT + "We'd like to understand what happened last time, so it doesn't happen again.",
        _yes_examples("previous_reaction", "review"),
    ),
    _flag_rule(
        "RADIATION",
        "Radiotherapy to the area",
        "review",
        "radiation_last_date",
        "Radiation therapy to the treatment area ({last_date}): irradiated skin heals poorly, however long "
        "ago. Clinician to assess; oncology clearance may be needed.",
        _REVIEW_PATIENT + "Skin that has had radiotherapy can heal differently, even years later, so we'll "
        "check first.",
        [
            _example({"radiation_last_date": "2016-03-01"}, "review", note="however long ago"),
            _example({"radiation_last_date": "2016-03"}, "review", note="a month will do"),
            _example({"radiation_last_date": None}, "eligible"),
        ],
        op="has_date",
    ),
    _flag_rule(
        "ANESTHETIC_ALLERGY",
        "Reaction to topical anaesthetic",
        "review",
        "anesthetic_allergy",
        "Previous reaction to lidocaine or another topical anaesthetic: plan treatment without it or "
        "with an alternative; confirm the nature of the reaction.",
        _REVIEW_PATIENT + "We usually use a numbing cream, so we'll plan your treatment around your reaction.",
        _yes_examples("anesthetic_allergy", "review"),
    ),
    _flag_rule(
        "METAL_ALLERGY",
        "Nickel or stainless steel allergy",
        "review",
        "metal_allergy",
        "Nickel or stainless steel allergy: microneedles may contain nickel; risk of hypersensitivity "
        "reaction (Chu et al. 2021, Dermatologic Surgery). Consider nickel-free needles.",
        _REVIEW_PATIENT + "Some needles contain nickel, so we'll make sure we use ones that suit you.",
        _yes_examples("metal_allergy", "review"),
    ),
    _flag_rule(
        "MEDICINE_MENTIONED",
        "A listed medicine or allergen written in",
        "review",
        "medications",
        "The patient's own words name a medicine or allergen on the clinic's list: {matched}. Check it "
        "against the yes/no answers (blood thinners, isotretinoin, immunosuppression, numbing cream, metals).",
        _REVIEW_PATIENT + "One of the medicines or allergies you wrote down can matter for microneedling.",
        [
            _example({"medications": "warfarin 5 mg"}, "review"),
            _example({"other_allergies": "lidocaine: throat swelling"}, "review"),
            _example({"medications": "aspirin-free painkillers"}, "eligible"),
        ],
        match="any",
        conditions=[{"question": "medications", "op": "names_listed"},
                    {"question": "other_allergies", "op": "names_listed"}],
    ),
    _flag_rule(
        "MEDICINES_LISTED",
        "Other medicines or allergies written in",
        "info",
        "medications",
        "The patient wrote medicines or allergies that are not on the clinic's list: read them before "
        "treatment.",
        "Your practitioner will read the medicines and allergies you told us about.",
        [_example({"medications": "vitamin D"}, "eligible"), _example({"medications": ""}, "eligible"),
         _example({"other_allergies": "None known"}, "eligible", note="saying there is nothing is not noted")],
        match="any",
        conditions=[{"question": "medications", "op": "names_nothing_listed"},
                    {"question": "other_allergies", "op": "names_nothing_listed"}],
    ),
    _flag_rule(
        "CHANGED_SINCE_LAST_VISIT",
        "Something else changed since the last visit",
        "review",
        "anything_changed",
        "Before this visit the patient wrote that something else changed (their words are below): read it and "
        "decide whether the session can go ahead.",
        _REVIEW_PATIENT + "You told us something has changed since your last visit, and we'd like to look at it "
        "first.",
        [_example({"anything_changed": "I started a new face cream that stings"}, "review"),
         _example({"anything_changed": ""}, "eligible"),
         _example({"anything_changed": "No"}, "eligible", note="saying nothing changed is not a change")],
        op="says_something",
    ),
]
