"""The default questionnaire and rule set (INTAKE.md, issue 18), as plain data.

What a new installation seeds and what ``manage.py screen`` uses until the
rules live in the database. Question and rule codes are a contract; the
wording is ours. The steps and questions are in ``default_questions.py``, the
rules in ``default_rules.py`` and ``default_rules_history.py``, the medicine
list in ``screening.rules.default_terms``; every rule is explained, with its
source, in docs/clinical-rules.md.

Nothing here imports Django, so the engine's tests can use it freely.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from screening.questionnaire.default_questions import NEVER_LABEL, QUESTIONS, STEPS
from screening.questionnaire.default_rules import RULES_NOW
from screening.questionnaire.default_rules_history import RULES_HISTORY
from screening.rules import DEFAULT_TERMS, add_years

__all__ = [
    "DEFAULT_TERMS",
    "NEVER_LABEL",
    "QUESTIONS",
    "RULES",
    "STEPS",
    "TREATMENTS",
    "TREATMENT_CODES",
    "baseline_answers",
]

TREATMENTS: list[dict[str, str]] = [
    {"code": "face", "name": "Face and neck"},
    {"code": "scalp", "name": "Scalp (hair loss)"},
    {"code": "body", "name": "Body (stretch marks, scars)"},
]
TREATMENT_CODES: list[str] = [t["code"] for t in TREATMENTS]

RULES: list[dict[str, Any]] = [*RULES_NOW, *RULES_HISTORY]


def baseline_answers(on_date: date) -> dict[str, Any]:
    """A complete, clean set of typed answers that screens ``eligible`` on ``on_date`` (any treatment)."""
    return {
        "first_name": "Alex",
        "last_name": "Example",
        "date_of_birth": add_years(on_date, -35),
        "email": "alex@example.com",
        "phone": "",
        "concerns": ["wrinkles"],
        "active_skin_infection": False,
        "active_acne": False,
        "unstable_skin": False,
        "warts_in_area": False,
        "skin_cancer_in_area": False,
        "tattoo_in_area": False,
        "cold_sore_history": False,
        "keloid_history": False,
        "raised_scar_history": False,
        "pigmentation_history": False,
        "koebner_condition": False,
        "autoimmune_condition": False,
        "previous_reaction": False,
        "bleeding_disorder": False,
        "blood_thinners": False,
        "pregnant_or_breastfeeding": False,
        "immunosuppressed": False,
        "diabetes": "none",
        "anesthetic_allergy": False,
        "metal_allergy": False,
        "isotretinoin_current": False,
        "isotretinoin_last_taken": None,
        "retinoid_last_used": None,
        "medications": "",
        "other_allergies": "",
        "radiation_last_date": None,
        "peel_or_laser_last_date": None,
        "deep_resurfacing_last_date": None,
        "toxin_last_date": None,
        "filler_last_date": None,
        "last_microneedling_date": None,
        "consent_risks": True,
        "consent_signature": "Alex Example",
    }
