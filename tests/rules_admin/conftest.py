"""Fixtures for the rules admin: a signed-in clinic admin (superuser), intakes
screened by the real submit service, and the admin's draft form as POST data.

The default questionnaire, rules (with their examples), revision 1 of each
rule and questionnaire version 1 come from the migrations.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from screening.core.models import Treatment
from screening.intake.models import Intake, Screening
from screening.intake.services import intake_submit
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.models import RuleDraft
from screening.rules import answers_to_json

EXAMPLE_DAY = "2027-01-15"


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("adele", "adele@clinic.example", "pw")


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def submit_intake(answers: dict[str, Any] | None = None, *, treatment: str = "face", name: str = "Alex") -> Intake:
    """A submitted intake: clean answers for today, with ``answers`` on top, screened as in production."""
    today = timezone.localdate()
    data = answers_to_json(baseline_answers(today)) | {"first_name": name, "consent_signature": f"{name} Example"}
    data |= answers or {}
    intake = Intake.objects.create(
        treatment=Treatment.objects.get(code=treatment), answers=data, completed_step=5, first_name=name,
        last_name="Example",
    )
    return intake_submit(intake=intake)


def latest_screening(intake: Intake) -> Screening:
    return intake.screenings.order_by("-created_at", "-id").first()


def days_ago(days: int) -> str:
    return date.fromordinal(timezone.localdate().toordinal() - days).isoformat()


def draft_form(
    *,
    draft: RuleDraft | None = None,
    conditions: list[dict[str, Any]] | None = None,
    examples: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """POST data for the admin's draft form: the rule's fields, conditions and examples as inline rows.

    For an existing draft its rows are kept (with their ids) unless
    ``conditions`` / ``examples`` replace them (the old rows are then deleted).
    """
    data: dict[str, Any] = {
        "code": "METAL_ALLERGY_STRICT",
        "name": "Nickel allergy (strict)",
        "severity": "review",
        "match": "all",
        "staff_message": "Nickel allergy: use nickel-free needles.",
        "patient_message": "We'll make sure we use needles that suit you.",
        "active": "on",
        "note": "",
    }
    if draft is not None:
        data.update(
            code=draft.code, name=draft.name, severity=draft.severity, match=draft.match,
            staff_message=draft.staff_message, patient_message=draft.patient_message, note=draft.note,
        )
        if not draft.active:
            data.pop("active")
        if draft.treatments:
            data["treatments"] = list(draft.treatments)
    data.update(fields)
    if data.get("active") is False:
        data.pop("active")
    _rows(data, "conditions", draft, draft.conditions.all() if draft else [], conditions,
          lambda c: {"question": c["question"], "op": c["op"], "value": c.get("value", "")})
    _rows(data, "examples", draft, draft.examples.all() if draft else [], examples,
          lambda e: {"answers": e.get("answers", "{}"), "treatment": e.get("treatment", "face"),
                     "on_date": e.get("on_date", EXAMPLE_DAY), "expected": e["expected"],
                     "eligible_from": e.get("eligible_from", ""), "note": e.get("note", "")})
    return data


def _rows(data, prefix, draft, existing, replacement, as_fields) -> None:
    existing = list(existing)
    rows: list[dict[str, Any]] = []
    if replacement is None:
        for obj in existing:
            rows.append({"id": obj.pk, **_existing_fields(prefix, obj)})
    else:
        rows = [{"id": obj.pk, "DELETE": "on", **_existing_fields(prefix, obj)} for obj in existing]
        rows += [as_fields(row) for row in replacement]
    data[f"{prefix}-TOTAL_FORMS"] = len(rows)
    data[f"{prefix}-INITIAL_FORMS"] = len(existing)
    data[f"{prefix}-MIN_NUM_FORMS"] = 0
    data[f"{prefix}-MAX_NUM_FORMS"] = 1000
    for number, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{number}-{key}"] = value


def _existing_fields(prefix: str, obj) -> dict[str, Any]:
    import json

    from screening.questionnaire.definitions import format_value_text

    if prefix == "conditions":
        return {"question": obj.question, "op": obj.op, "value": format_value_text(obj.value)}
    return {"answers": json.dumps(obj.answers), "treatment": obj.treatment, "on_date": obj.on_date.isoformat(),
            "expected": obj.expected, "eligible_from": obj.eligible_from.isoformat() if obj.eligible_from else "",
            "note": obj.note}
