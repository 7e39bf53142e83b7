"""Hostile and random input to every patient endpoint: never a server error.

Each endpoint gets FUZZ_EXAMPLES cases (100 by default; the documented full
run is HYPOTHESIS_PROFILE=full, 1,000 each: see SECURITY.md).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.intake.models import Intake
from screening.setup.demo import seed_calendar
from tests.intake.helpers import complete, start

pytestmark = pytest.mark.django_db

HOSTILE = st.sampled_from([
    "", " ", "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "\u202e",
    "9" * 400, "-1", "0", "1e309", "NaN", "2026-02-30", "0000-00-00", "9999-12-31", "yes", "no", "on",
    "true", "null", "[]", "{}", "\ud7ff", "😀" * 50,
])
VALUES = st.one_of(HOSTILE, st.text(max_size=300), st.lists(HOSTILE, max_size=4))
FIELDS = st.sampled_from([
    "first_name", "last_name", "date_of_birth", "email", "phone", "concerns", "bleeding_disorder",
    "blood_thinners", "blood_thinners_detail", "active_acne", "diabetes", "isotretinoin_last_taken",
    "isotretinoin_last_taken__never", "consent_risks", "consent_signature", "action", "slot",
    "practitioner", "treatment", "email", "csrfmiddlewaretoken",
]) | st.text(min_size=1, max_size=30)
PAYLOADS = st.dictionaries(FIELDS, VALUES, max_size=12)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _ok(response) -> None:
    assert response.status_code < 500, response.status_code


@FUZZ
@given(payload=PAYLOADS, number=st.integers(min_value=-1, max_value=7))
def test_intake_steps_survive_any_post(client, payload, number):
    """Every step (1 to 5) and a tampered step number get the payload, so each sees every case."""
    intake = start(client)
    # Steps 1-4 marked done, so that no step sends the payload back to "answer in order" unread.
    Intake.objects.filter(pk=intake.pk).update(completed_step=4)
    for n in (1, 2, 3, 4, 5, number):
        url = f"/intake/{intake.public_id}/step/{n}/"
        _ok(client.post(url, payload))
        _ok(client.get(url, payload))


@FUZZ
@given(payload=PAYLOADS)
def test_the_start_and_link_pages_survive_any_post(client, payload):
    _ok(client.post(reverse("intake:start"), payload))
    _ok(client.post(reverse("intake:link_request"), payload))
    _ok(Client().post(reverse("intake:link_continue"), payload))


@FUZZ
@given(token=st.text(max_size=200))
def test_any_link_token_gives_a_kind_page(client, token):
    _ok(client.get("/intake/r/" + "".join(c for c in token if c not in "/?#\x00") + "x/"))


@pytest.fixture
def booked_client(client):
    seed_calendar()
    intake = complete(client)
    return client, intake


@FUZZ
@given(payload=PAYLOADS, query=st.dictionaries(st.sampled_from(["from", "day", "slot"]), HOSTILE, max_size=3))
def test_booking_pages_survive_any_post(booked_client, payload, query):
    client, intake = booked_client
    for name in ("book", "booking_move", "booking_cancel", "booking", "your_data", "your_data_download"):
        url = reverse(f"booking:{name}", args=[intake.public_id])
        _ok(client.get(url, query))
        _ok(client.post(url, payload))
