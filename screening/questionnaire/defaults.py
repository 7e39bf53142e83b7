"""The default questionnaire and rule set (INTAKE.md), as plain data.

What a new installation seeds and what ``manage.py screen`` uses until the
rules live in the database. Question and rule codes are a contract; the
wording is ours. Formats: docs/engine-contract.md, plus keys for the intake
form (``step``, ``label``, ``help_text``, ``choice_labels``, and ``kind``: what
the answer is, as ``screening.questionnaire.models.QuestionKind`` names it).

Nothing here imports Django, so the engine's tests can use it freely.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from screening.rules import add_years

__all__ = [
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

STEPS: list[dict[str, Any]] = [
    {
        "number": 1,
        "title": "About you",
        "intro": "A few details so we can reach you. Your email lets you come back to this form later.",
    },
    {
        "number": 2,
        "title": "Your goals",
        "intro": "Tell us what you would like to improve. This helps your practitioner plan your session.",
    },
    {
        "number": 3,
        "title": "Your health (part 1)",
        "intro": "Microneedling isn't right for everyone. These questions help us keep you safe. "
        "Your answers are private and only seen by our clinical team.",
    },
    {
        "number": 4,
        "title": "Your health (part 2)",
        "intro": "Almost there. A few more questions about medicines, treatments and allergies.",
    },
    {
        "number": 5,
        "title": "Consent",
        "intro": "Please read this carefully before you send your answers.",
    },
]


def _question(
    code: str,
    type_: str,
    step: int,
    label: str,
    *,
    help_text: str = "",
    required: bool = True,
    choices: dict[str, str] | None = None,
    show_when: dict[str, Any] | None = None,
    max_length: int | None = None,
    must_be_true: bool = False,
    past_only: bool = False,
    nullable: bool = True,
    kind: str = "none",
) -> dict[str, Any]:
    question: dict[str, Any] = {
        "code": code,
        "type": type_,
        "kind": kind,
        "step": step,
        "label": label,
        "help_text": help_text,
        "required": required,
        "show_when": show_when,
        "max_length": max_length,
        "must_be_true": must_be_true,
        "past_only": past_only,
    }
    if type_ == "date":
        # Engine extension: False when null ("never") is not an answer.
        question["nullable"] = nullable
    if choices is not None:
        question["choices"] = list(choices)
        question["choice_labels"] = dict(choices)
    return question


def _yes_no(code: str, step: int, label: str, help_text: str = "", **kwargs: Any) -> dict[str, Any]:
    return _question(code, "yes_no", step, label, help_text=help_text, **kwargs)


def _last_date(code: str, step: int, label: str, help_text: str) -> dict[str, Any]:
    # Required, but "never" (null) is an answer; a future date is not.
    return _question(code, "date", step, label, help_text=help_text, past_only=True)


QUESTIONS: list[dict[str, Any]] = [
    # 1. About you
    _question("first_name", "text", 1, "First name", max_length=100, kind="first_name"),
    _question("last_name", "text", 1, "Last name", max_length=100, kind="last_name"),
    _question(
        "date_of_birth",
        "date",
        1,
        "Date of birth",
        help_text="We only treat adults, so we need to check your age.",
        past_only=True,
        nullable=False,
        kind="date_of_birth",
    ),
    _question(
        "email",
        "text",
        1,
        "Email",
        help_text="We'll send you a link to come back to your answers and your booking details.",
        max_length=254,
        kind="email",
    ),
    _question(
        "phone",
        "text",
        1,
        "Mobile phone (optional)",
        help_text="Only used if we need to reach you about your appointment.",
        required=False,
        max_length=30,
        kind="phone",
    ),
    # 2. Goals
    _question(
        "concerns",
        "multi",
        2,
        "What would you like help with?",
        help_text="Tick all that apply.",
        required=False,
        choices={
            "wrinkles": "Fine lines and wrinkles",
            "acne_scars": "Acne scars",
            "other_scars": "Other scars",
            "hair_loss": "Hair loss",
            "pigmentation": "Uneven skin tone or dark patches",
            "stretch_marks": "Stretch marks",
            "rosacea": "Redness (rosacea)",
            "loose_skin": "Loose skin",
            "sun_damage": "Sun damage",
        },
    ),
    # 3. Health, part 1
    _yes_no(
        "bleeding_disorder",
        3,
        "Do you have a bleeding or clotting disorder?",
        "For example haemophilia, or bruising and bleeding very easily.",
    ),
    _yes_no(
        "blood_thinners",
        3,
        "Do you take medicine that thins your blood?",
        "For example warfarin, apixaban, rivaroxaban, clopidogrel or a daily aspirin.",
    ),
    _question(
        "blood_thinners_detail",
        "text",
        3,
        "Which medicine, and how much?",
        help_text="If you're not sure, the name on the box is enough.",
        required=False,
        show_when={"question": "blood_thinners", "value": True},
        max_length=500,
    ),
    _yes_no(
        "active_skin_infection",
        3,
        "Do you have an infection, open wound or cold sore in or near the area right now?",
    ),
    _yes_no(
        "cold_sore_history",
        3,
        "Have you ever had cold sores?",
        "Small blisters on or around the lips that come back from time to time.",
    ),
    _yes_no("active_acne", 3, "Do you have red, inflamed spots (acne) in the area right now?"),
    _yes_no(
        "keloid_history",
        3,
        "Do your scars tend to become raised or thick?",
        "Raised scars that grow beyond the original wound are called keloids.",
    ),
    _yes_no(
        "unstable_skin",
        3,
        "Is the skin in the area irritated right now?",
        "For example eczema, psoriasis or rosacea flaring up, sunburn, or sore, broken skin.",
    ),
    _yes_no("pregnant_or_breastfeeding", 3, "Are you pregnant or breastfeeding?"),
    # 4. Health, part 2
    _last_date(
        "isotretinoin_last_taken",
        4,
        "When did you last take isotretinoin?",
        "An acne medicine, also sold as Accutane or Roaccutane. Choose \"Never\" if you haven't taken it.",
    ),
    _yes_no(
        "skin_cancer_in_area",
        4,
        "Do you have skin cancer, pre-cancerous spots or moles that are changing in the area?",
    ),
    _yes_no(
        "immunosuppressed",
        4,
        "Is your immune system weakened, or do you take medicine that lowers it?",
        "For example after a transplant, during chemotherapy, or with steroid tablets.",
    ),
    _question(
        "diabetes",
        "choice",
        4,
        "Do you have diabetes?",
        choices={
            "none": "No",
            "controlled": "Yes, and it is well controlled",
            "uncontrolled": "Yes, and it is not well controlled",
        },
    ),
    _yes_no(
        "autoimmune_condition",
        4,
        "Do you have an autoimmune condition?",
        "For example lupus, scleroderma or another condition affecting your skin or joints.",
    ),
    _last_date(
        "radiation_last_date",
        4,
        "When did you last have radiotherapy on the area?",
        "Choose \"Never\" if you haven't had radiotherapy there.",
    ),
    _yes_no(
        "anesthetic_allergy",
        4,
        "Have you ever reacted badly to a numbing cream or injection?",
        "For example lidocaine, used at the dentist.",
    ),
    _yes_no(
        "metal_allergy",
        4,
        "Are you allergic to nickel or stainless steel?",
        "For example a rash from cheap jewellery or a watch strap buckle.",
    ),
    _last_date(
        "retinoid_last_used",
        4,
        "When did you last use a retinol, retinoid or acid product on the area?",
        "Creams or serums with retinol, tretinoin, glycolic or salicylic acid. Choose \"Never\" if you don't use them.",
    ),
    _last_date(
        "peel_or_laser_last_date",
        4,
        "When did you last have a chemical peel, laser or IPL on the area?",
        "Choose \"Never\" if you haven't had one.",
    ),
    _last_date(
        "last_microneedling_date",
        4,
        "When was your last microneedling session?",
        "Choose \"Never\" if this is your first time.",
    ),
    _question(
        "medications",
        "text",
        4,
        "Any other medicines you take? (optional)",
        help_text="Including supplements and creams.",
        required=False,
        max_length=1000,
    ),
    _question(
        "other_allergies",
        "text",
        4,
        "Any other allergies? (optional)",
        required=False,
        max_length=1000,
    ),
    # 5. Consent
    _yes_no(
        "consent_risks",
        5,
        "I have read and understood the possible side effects",
        "Swelling, discomfort, redness, bruising, dryness and flaking are common for a few days. "
        "Less often: infection, changes in skin colour, or a reaction to creams used during the treatment. "
        "If you have a bleeding disorder or take blood thinners, you may bleed more than usual.",
        must_be_true=True,
    ),
    _question(
        "consent_signature",
        "text",
        5,
        "Type your full name to sign",
        help_text="Your first and last name, as you gave them above.",
        max_length=200,
        kind="signature",
    ),
]


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
) -> dict[str, Any]:
    condition: dict[str, Any] = {"question": question, "op": op}
    if value is not None:
        condition["value"] = value
    return {
        "code": code,
        "name": name,
        "severity": severity,
        "treatments": list(treatments or []),
        "match": "all",
        "conditions": [condition],
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


_REVIEW_PATIENT = "One of our clinicians will look at your answers before your appointment is confirmed. "
_BLOCK_DOCTOR = "Please speak with your doctor, who can advise you."

RULES: list[dict[str, Any]] = [
    _flag_rule(
        "BLEEDING_DISORDER",
        "Bleeding or clotting disorder",
        "review",
        "bleeding_disorder",
        "Patient reports a bleeding or clotting disorder: risk of prolonged bleeding and bruising. "
        "Obtain details and clearance from the patient's physician before treatment.",
        _REVIEW_PATIENT + "Because you bleed or bruise more easily, we may ask your doctor's advice first.",
        _yes_examples("bleeding_disorder", "review"),
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
        "Keloid or hypertrophic scarring",
        "block",
        "keloid_history",
        "History of keloid or hypertrophic scarring: microneedling may trigger new abnormal scars.",
        "Because your skin tends to form raised scars, microneedling could cause new scarring, so we "
        "can't offer it to you. " + _BLOCK_DOCTOR,
        _yes_examples("keloid_history", "not_suitable"),
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
        "block",
        "date_of_birth",
        "Patient is under 18 on the appointment date: the clinic treats adults only.",
        "Our clinic offers microneedling to adults only, so we can't book you in before your 18th "
        "birthday. If you have questions about your skin, please speak with your doctor.",
        [
            _example({"date_of_birth": "2009-01-16"}, "not_suitable", note="turns 18 the day after"),
            _example({"date_of_birth": "2009-01-15"}, "eligible", note="18th birthday on the day"),
        ],
        op="age_under",
        value=18,
    ),
    _flag_rule(
        "ISOTRETINOIN",
        "Isotretinoin taken recently",
        "defer",
        "isotretinoin_last_taken",
        "Isotretinoin within the last 183 days: impaired wound healing and risk of atypical scarring. "
        "Defer until 183 days after the last dose.",
        "Because you have taken isotretinoin (Accutane, Roaccutane) in the last six months, your skin "
        "needs more time to heal well. You can book from the date shown.",
        [
            _example({"isotretinoin_last_taken": "2026-07-17"}, "deferred", eligible_from="2027-01-16"),
            _example({"isotretinoin_last_taken": "2026-07-16"}, "eligible"),
        ],
        op="within_days",
        value=183,
    ),
    _flag_rule(
        "PEEL_OR_LASER",
        "Peel, laser or IPL recently",
        "defer",
        "peel_or_laser_last_date",
        "Chemical peel, laser or IPL to the area within 14 days: allow the skin barrier to recover.",
        "Your skin needs two weeks to recover after a peel, laser or light treatment. You can book from "
        "the date shown.",
        [
            _example({"peel_or_laser_last_date": "2027-01-02"}, "deferred", eligible_from="2027-01-16"),
            _example({"peel_or_laser_last_date": "2027-01-01"}, "eligible"),
        ],
        op="within_days",
        value=14,
    ),
    _flag_rule(
        "RETINOID",
        "Retinoid or acid used recently",
        "defer",
        "retinoid_last_used",
        "Topical retinoid or acid on the area within 5 days: increased irritation; stop at least 5 days "
        "before treatment.",
        "Please stop using retinol, retinoid or acid products on the area for a few days before your "
        "treatment. You can book from the date shown.",
        [
            _example({"retinoid_last_used": "2027-01-11"}, "deferred", eligible_from="2027-01-16"),
            _example({"retinoid_last_used": "2027-01-10"}, "eligible"),
        ],
        op="within_days",
        value=5,
    ),
    _flag_rule(
        "SESSION_INTERVAL",
        "Last microneedling too recent",
        "defer",
        "last_microneedling_date",
        "Previous microneedling within 28 days: keep at least 4 weeks between sessions.",
        "Your skin needs about four weeks between microneedling sessions to get the full benefit. You "
        "can book from the date shown.",
        [
            _example({"last_microneedling_date": "2026-12-19"}, "deferred", eligible_from="2027-01-16"),
            _example({"last_microneedling_date": "2026-12-18"}, "eligible"),
        ],
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
        "RADIATION",
        "Radiotherapy to the area in the last year",
        "review",
        "radiation_last_date",
        "Radiation therapy to the treatment area within 365 days: compromised skin healing. Clinician "
        "to assess; oncology clearance may be needed.",
        _REVIEW_PATIENT + "Skin that has had radiotherapy in the last year can heal differently, so "
        "we'll check first.",
        [
            _example({"radiation_last_date": "2026-01-16"}, "review"),
            _example({"radiation_last_date": "2026-01-15"}, "eligible"),
        ],
        op="within_days",
        value=365,
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
]


def baseline_answers(on_date: date) -> dict[str, Any]:
    """A complete, clean set of typed answers that screens ``eligible`` on ``on_date`` (any treatment)."""
    return {
        "first_name": "Alex",
        "last_name": "Example",
        "date_of_birth": add_years(on_date, -35),
        "email": "alex@example.com",
        "phone": "",
        "concerns": ["wrinkles"],
        "bleeding_disorder": False,
        "blood_thinners": False,
        "active_skin_infection": False,
        "cold_sore_history": False,
        "active_acne": False,
        "keloid_history": False,
        "unstable_skin": False,
        "pregnant_or_breastfeeding": False,
        "isotretinoin_last_taken": None,
        "skin_cancer_in_area": False,
        "immunosuppressed": False,
        "diabetes": "none",
        "autoimmune_condition": False,
        "radiation_last_date": None,
        "anesthetic_allergy": False,
        "metal_allergy": False,
        "retinoid_last_used": None,
        "peel_or_laser_last_date": None,
        "last_microneedling_date": None,
        "medications": "",
        "other_allergies": "",
        "consent_risks": True,
        "consent_signature": "Alex Example",
    }
