"""A clinician's double tap on clear or ask: one decision, and both taps land on the intake page showing it.

PostgreSQL, real concurrent requests (tests/race.py): the intake's row is
held while both taps reach the decision service.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.intake.models import Intake, PatientQuestion
from screening.review.models import IntakeDecision
from tests.race import postgres_only, statuses, two_taps
from tests.staff.conftest import latest_screening, staff_client

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    postgres_only()


@pytest.mark.parametrize("action, data, audited", [
    ("clear", {"note": "Checked with the GP."}, AuditAction.INTAKE_CLEARED),
    ("ask", {"question": "Which dose do you take?"}, AuditAction.INTAKE_ASKED),
    ("decline", {"reason": "see_doctor", "note": ""}, AuditAction.INTAKE_DECLINED),
])
def test_a_double_tap_decides_once_and_both_taps_show_the_intake(personas, action, data, audited):
    intake = personas.intake_a
    client = staff_client(personas.clinician)
    client.raise_request_exception = True
    url = reverse(f"staff:intake_{action}", args=[intake.public_id])
    responses = two_taps(client, url, {**data, "screening_id": latest_screening(intake).pk},
                         hold=Intake.objects.filter(pk=intake.pk))

    assert statuses(responses) == [302, 302]
    locations = sorted(r["Location"] for r in responses)
    intake_page = reverse("staff:intake", args=[intake.public_id])
    assert intake_page in locations  # the second tap: the intake, with the decision shown
    assert IntakeDecision.objects.filter(intake=intake).count() == 1
    assert AuditEvent.objects.filter(action=audited, intake_id=intake.pk).count() == 1
    if action == "ask":
        assert PatientQuestion.objects.filter(intake=intake).count() == 1
    page = client.get(intake_page).content.decode()
    assert "Already done" in page
