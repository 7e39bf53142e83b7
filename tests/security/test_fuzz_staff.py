"""Hostile and random input to the staff decisions (re-screen and link revocation too) and queue: never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_fuzz_patient import HOSTILE, VALUES
from tests.staff.conftest import personas, staff_client  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

FIELDS = st.sampled_from(["note", "reason", "question", "screening_id", "action", "page", "outcome",
                          "rule", "q", "date", "after", "confirm"]) | st.text(min_size=1, max_size=20)
PAYLOADS = st.dictionaries(FIELDS, VALUES, max_size=8)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


DECISIONS = ["intake_clear", "intake_decline", "intake_ask", "intake_rescreen", "intake_revoke_links"]


@FUZZ
@given(payload=PAYLOADS)
def test_decisions_survive_any_post(personas, payload):
    """Each case goes to every decision endpoint, so each sees every case."""
    client = staff_client(personas.clinician)
    for decision in DECISIONS:
        response = client.post(reverse(f"staff:{decision}", args=[personas.intake_a.public_id]), payload)
        assert response.status_code < 500, decision


@FUZZ
@given(query=st.dictionaries(FIELDS, HOSTILE, max_size=6))
def test_the_queue_and_bookings_survive_any_query(personas, query):
    client = staff_client(personas.front_desk)
    for name in ("staff:queue", "staff:bookings"):
        assert client.get(reverse(name), query).status_code < 500


@FUZZ
@given(payload=PAYLOADS)
def test_the_patient_erasure_page_survives_any_post(personas, payload):
    """The clinic admin's erasure: a form that does not name the patient's email erases nothing, and nothing is a 500."""
    client = staff_client(personas.clinic_admin)
    url = reverse("staff:patient_erase", args=[personas.intake_b.patient_id])
    assert client.post(url, payload).status_code < 500
    assert client.get(url, {k: str(v) for k, v in payload.items()}).status_code < 500
    personas.intake_b.refresh_from_db()
    assert personas.intake_b.email == "bo@example.com"  # no generated value is her address
