"""The default questionnaire (INTAKE.md and issue 18): its steps and questions, as plain data.

Question codes are a contract; the wording is ours. Formats: docs/engine-contract.md, plus keys for
the intake form (``step``, ``label``, ``help_text``, ``choice_labels``, ``kind``, ``never_label``).
``screening.questionnaire.defaults`` is where callers read it. Nothing here imports Django.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NEVER_LABEL", "QUESTIONS", "STEPS"]

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
        "title": "Your skin today",
        "intro": "Microneedling isn't right for everyone. These questions help us keep you safe. "
        "Your answers are private and only seen by our clinical team.",
    },
    {
        "number": 4,
        "title": "How your skin heals",
        "intro": "Some skin conditions can show up where the needles go, even when they are settled.",
    },
    {
        "number": 5,
        "title": "Your general health",
        "intro": "Not sure about an answer? Choose \"Not sure\" where it is offered: a clinician will check.",
    },
    {
        "number": 6,
        "title": "Medicines and allergies",
        "intro": "Some medicines change how the skin heals. The name on the box is enough.",
    },
    {
        "number": 7,
        "title": "Treatments you've had",
        "intro": "If you only remember the month, that's fine: enter the month and year.",
    },
    {
        "number": 8,
        "title": "Consent",
        "intro": "Please read this carefully before you send your answers.",
    },
]

#: The "never" box of most "when did you last..." questions.
NEVER_LABEL = "Never, or not in the last few years"


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
    not_sure: bool = False,
    month_ok: bool = False,
    never_label: str = "",
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
        # "2026-11" accepted, screened as the last day of that month.
        question["month_ok"] = month_ok
        question["never_label"] = never_label
    if type_ == "yes_no":
        # "not_sure" accepted beside true and false.
        question["not_sure"] = not_sure
    if choices is not None:
        question["choices"] = list(choices)
        question["choice_labels"] = dict(choices)
    return question


def _yes_no(code: str, step: int, label: str, help_text: str = "", **kwargs: Any) -> dict[str, Any]:
    return _question(code, "yes_no", step, label, help_text=help_text, **kwargs)


def _last_date(code: str, step: int, label: str, help_text: str, never_label: str = NEVER_LABEL) -> dict[str, Any]:
    # Required, but "never" (null) is an answer; a future date is not; a month and year will do.
    return _question(code, "date", step, label, help_text=help_text, past_only=True, month_ok=True,
                     never_label=never_label)


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
    # 3. Your skin today
    _yes_no(
        "active_skin_infection",
        3,
        "Do you have an infection, open wound or cold sore in or near the area right now?",
    ),
    _yes_no("active_acne", 3, "Do you have red, inflamed spots (acne) in the area right now?"),
    _yes_no(
        "unstable_skin",
        3,
        "Is the skin in the area irritated right now?",
        "For example eczema, psoriasis or rosacea flaring up, sunburn, or sore, broken skin.",
    ),
    _yes_no(
        "warts_in_area",
        3,
        "Do you have warts or molluscum in the area?",
        "Small, firm bumps caused by a virus. The needles could spread them to other skin.",
    ),
    _yes_no(
        "skin_cancer_in_area",
        3,
        "Do you have skin cancer, pre-cancerous spots or moles that are changing in the area?",
    ),
    _yes_no(
        "tattoo_in_area",
        3,
        "Do you have a tattoo or permanent make-up in the area?",
        "Your practitioner will work around it.",
    ),
    _yes_no(
        "cold_sore_history",
        3,
        "Have you ever had cold sores?",
        "Small blisters on or around the lips that come back from time to time.",
    ),
    # 4. How your skin heals
    _yes_no(
        "keloid_history",
        4,
        "Have you ever had a keloid scar?",
        "A keloid is a scar that keeps growing beyond the edges of the original wound.",
    ),
    _yes_no(
        "raised_scar_history",
        4,
        "Do your scars tend to become raised or thick?",
        "Raised scars that stay within the edges of the wound (hypertrophic scars).",
    ),
    _yes_no(
        "pigmentation_history",
        4,
        "Has your skin ever become darker in patches after an injury, spot or treatment, or do you have melasma?",
        "Melasma is brown or grey-brown patches, often on the cheeks, forehead or upper lip.",
    ),
    _yes_no(
        "koebner_condition",
        4,
        "Have you ever had vitiligo, psoriasis or lichen planus?",
        "Even if it is settled now: these conditions can appear where the skin is injured.",
    ),
    _yes_no(
        "autoimmune_condition",
        4,
        "Do you have an autoimmune condition?",
        "For example lupus, scleroderma or another condition affecting your skin or joints.",
    ),
    _yes_no(
        "previous_reaction",
        4,
        "Have you had a bad reaction to microneedling before?",
        "For example an infection, a rash, dark patches or scarring afterwards.",
    ),
    # 5. Your general health
    _yes_no(
        "bleeding_disorder",
        5,
        "Do you have a bleeding or clotting disorder?",
        "For example haemophilia, or bruising and bleeding very easily.",
        not_sure=True,
    ),
    _yes_no(
        "blood_thinners",
        5,
        "Do you take medicine that thins your blood?",
        "For example warfarin, apixaban, rivaroxaban, clopidogrel or a daily aspirin.",
    ),
    _question(
        "blood_thinners_detail",
        "text",
        5,
        "Which medicine, and how much?",
        help_text="If you're not sure, the name on the box is enough.",
        required=False,
        show_when={"question": "blood_thinners", "value": True},
        max_length=500,
    ),
    _yes_no("pregnant_or_breastfeeding", 5, "Are you pregnant or breastfeeding?", not_sure=True),
    _yes_no(
        "immunosuppressed",
        5,
        "Is your immune system weakened, or do you take medicine that lowers it?",
        "For example after a transplant, during chemotherapy, or with steroid tablets.",
    ),
    _question(
        "diabetes",
        "choice",
        5,
        "Do you have diabetes?",
        choices={
            "none": "No",
            "controlled": "Yes, and it is well controlled",
            "uncontrolled": "Yes, and it is not well controlled",
        },
    ),
    _yes_no(
        "anesthetic_allergy",
        5,
        "Have you ever reacted badly to a numbing cream or injection?",
        "For example lidocaine, used at the dentist.",
    ),
    _yes_no(
        "metal_allergy",
        5,
        "Are you allergic to nickel or stainless steel?",
        "For example a rash from cheap jewellery or a watch strap buckle.",
    ),
    # 6. Medicines and allergies
    _yes_no(
        "isotretinoin_current",
        6,
        "Are you taking isotretinoin now?",
        "An acne medicine, also sold as Accutane, Roaccutane or Absorica.",
    ),
    _last_date(
        "isotretinoin_last_taken",
        6,
        "When did you last take isotretinoin?",
        "If you are still taking it, answer \"Yes\" above and give today's date. Choose \"Never\" if you "
        "have never taken it.",
    ),
    _last_date(
        "retinoid_last_used",
        6,
        "When did you last use a retinol, retinoid or acid product on the area?",
        "Creams or serums with retinol, tretinoin, glycolic or salicylic acid. Choose \"Never\" if you don't use them.",
    ),
    _question(
        "medications",
        "text",
        6,
        "Any other medicines you take? (optional)",
        help_text="Including supplements, creams and injections.",
        required=False,
        max_length=1000,
    ),
    _question(
        "other_allergies",
        "text",
        6,
        "Any other allergies? (optional)",
        help_text="Medicines, creams, metals or anything else, and what happened.",
        required=False,
        max_length=1000,
    ),
    # 7. Treatments you've had
    _last_date(
        "radiation_last_date",
        7,
        "When did you last have radiotherapy on the area?",
        "However long ago it was. Choose \"Never\" only if you have never had radiotherapy there.",
        never_label="Never",
    ),
    _last_date(
        "peel_or_laser_last_date",
        7,
        "When did you last have a chemical peel, laser or IPL on the area?",
        "Choose \"Never\" if you haven't had one.",
    ),
    _last_date(
        "deep_resurfacing_last_date",
        7,
        "When did you last have a deep peel, ablative or fractional laser, or dermabrasion on the area?",
        "Stronger treatments that remove layers of skin. Choose \"Never\" if you haven't had one.",
    ),
    _last_date(
        "toxin_last_date",
        7,
        "When did you last have anti-wrinkle injections (such as Botox) in the area?",
        "Choose \"Never\" if you haven't had them.",
    ),
    _last_date(
        "filler_last_date",
        7,
        "When did you last have dermal filler injections in the area?",
        "Choose \"Never\" if you haven't had them.",
    ),
    _last_date(
        "last_microneedling_date",
        7,
        "When was your last microneedling session?",
        "Choose \"Never\" if this is your first time.",
    ),
    # Asked only in the short check before a next visit (its kind keeps it out of the full intake form).
    _question(
        "anything_changed",
        "text",
        7,
        "Has anything else about your health or skin changed since your last visit? (optional)",
        help_text="For example a new cream or medicine, a new diagnosis, a reaction, or a treatment elsewhere. "
                  "Leave it empty if nothing has changed.",
        required=False,
        max_length=1000,
        kind="since_last_visit",
    ),
    # 8. Consent
    _yes_no(
        "consent_risks",
        8,
        "I have read and understood the possible side effects",
        "Swelling, discomfort, redness, bruising, dryness and flaking are common for a few days. "
        "Less often: infection, changes in skin colour, or a reaction to creams used during the treatment. "
        "If you have a bleeding disorder or take blood thinners, you may bleed more than usual.",
        must_be_true=True,
    ),
    _question(
        "consent_signature",
        "text",
        8,
        "Type your full name to sign",
        help_text="Your first and last name, as you gave them above.",
        max_length=200,
        kind="signature",
    ),
]
