"""Drive the patient intake through Django's test client, as a phone would."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse

from screening.core.models import Treatment
from screening.intake.models import Intake

CLEAN = {
    1: {"first_name": "Alex", "last_name": "Example", "date_of_birth": "1992-01-15",
        "email": "alex@example.com", "phone": ""},
    2: {"concerns": ["wrinkles"]},
    3: {"active_skin_infection": "no", "active_acne": "no", "unstable_skin": "no", "warts_in_area": "no",
        "skin_cancer_in_area": "no", "tattoo_in_area": "no", "cold_sore_history": "no"},
    4: {"keloid_history": "no", "raised_scar_history": "no", "pigmentation_history": "no",
        "koebner_condition": "no", "autoimmune_condition": "no", "previous_reaction": "no"},
    5: {"bleeding_disorder": "no", "blood_thinners": "no", "blood_thinners_detail": "",
        "pregnant_or_breastfeeding": "no", "immunosuppressed": "no", "diabetes": "none",
        "anesthetic_allergy": "no", "metal_allergy": "no"},
    6: {"isotretinoin_current": "no", "isotretinoin_last_taken__never": "on", "retinoid_last_used__never": "on",
        "medications": "", "other_allergies": ""},
    7: {"radiation_last_date__never": "on", "peel_or_laser_last_date__never": "on",
        "deep_resurfacing_last_date__never": "on", "toxin_last_date__never": "on", "filler_last_date__never": "on",
        "last_microneedling_date__never": "on"},
    8: {"consent_risks": "on", "consent_signature": "Alex Example"},
}
LAST_STEP = max(CLEAN)
CONSENT = LAST_STEP


def step_of(field: str, default: int | None = None) -> int:
    """The step of the default questionnaire that asks a field (``<code>``, ``<code>__never``,
    ``<code>__month``); ``default`` for a question a test added."""
    code = field.split("__")[0]
    return next((number for number, fields in CLEAN.items() if any(name.split("__")[0] == code for name in fields)),
                default)


def by_step(answers: dict[int, dict] | None = None, **fields) -> dict[int, dict]:
    """Field overrides grouped by the step that asks each (a field the defaults do not ask: as given)."""
    grouped: dict[int, dict] = {}
    for number, given in [*(answers or {}).items(), (None, fields)]:
        for name, value in given.items():
            grouped.setdefault(step_of(name, number), {})[name] = value
    return grouped


def step_data(number: int, **overrides) -> dict:
    data = {**CLEAN[number], **overrides}
    return {k: v for k, v in data.items() if v is not None}


def start(client, treatment: str = "face") -> Intake:
    pk = Treatment.objects.get(code=treatment).pk
    response = client.post(reverse("intake:start"), {"treatment": pk})
    assert response.status_code == 302, response.content[:500]
    intake = Intake.objects.order_by("-id").first()
    assert response["Location"] == reverse("intake:step", args=[intake.public_id, 1])
    return intake


def post_step(client, intake: Intake, number: int, action: str = "next", **overrides):
    url = reverse("intake:step", args=[intake.public_id, number])
    return client.post(url, {**step_data(number, **overrides), "action": action})


def draft_at(client, number: int) -> Intake:
    """A draft whose steps before ``number`` are answered, so step ``number`` is the next one."""
    intake = start(client)
    for n in range(1, number):
        assert post_step(client, intake, n).status_code == 302
    return intake


def complete(client, treatment: str = "face", answers: dict | None = None) -> Intake:
    """Fill every step; ``answers`` maps step number -> field overrides (each sent with the step that asks it)."""
    # Overrides go to the step that asks each field, whatever step number the caller grouped them under.
    overrides = by_step(answers)
    intake = start(client, treatment)
    for number in range(1, LAST_STEP + 1):
        response = post_step(client, intake, number, **overrides.get(number, {}))
        assert response.status_code == 302, _errors(response)
    intake.refresh_from_db()
    return intake


def _errors(response) -> str:
    text = response.content.decode()
    return "; ".join(re.findall(r'class="invalid-feedback[^"]*"[^>]*>\s*<strong>([^<]*)', text)) or text[:300]


def link_from_mail(message) -> str:
    match = re.search(r"https?://[^/\s]+(/intake/r/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def last_link() -> str:
    return link_from_mail(mail.outbox[-1])
