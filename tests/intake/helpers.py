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
    3: {"bleeding_disorder": "no", "blood_thinners": "no", "blood_thinners_detail": "",
        "active_skin_infection": "no", "cold_sore_history": "no", "active_acne": "no",
        "keloid_history": "no", "unstable_skin": "no", "pregnant_or_breastfeeding": "no"},
    4: {"isotretinoin_last_taken__never": "on", "skin_cancer_in_area": "no", "immunosuppressed": "no",
        "diabetes": "none", "autoimmune_condition": "no", "radiation_last_date__never": "on",
        "anesthetic_allergy": "no", "metal_allergy": "no", "retinoid_last_used__never": "on",
        "peel_or_laser_last_date__never": "on", "last_microneedling_date__never": "on",
        "medications": "", "other_allergies": ""},
    5: {"consent_risks": "on", "consent_signature": "Alex Example"},
}


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
    """Fill every step; ``answers`` maps step number -> field overrides."""
    answers = answers or {}
    intake = start(client, treatment)
    for number in range(1, 6):
        response = post_step(client, intake, number, **answers.get(number, {}))
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
