"""A double tap on "Send my answers": the second tap gets the page the first led to, never a 500.

PostgreSQL, real concurrent requests: the test holds a lock on the intake's
row while both taps read the draft and reach the write, then lets go; one
submits, the other finds the answers already sent.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from screening.intake.models import Intake, Screening
from tests.intake.helpers import LAST_STEP, draft_at, step_data
from tests.race import postgres_only, statuses, two_taps

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    postgres_only()


def test_a_double_tap_on_the_final_submit_shows_the_outcome_twice():
    first_tap = Client(raise_request_exception=True)
    intake = draft_at(first_tap, LAST_STEP)
    url = reverse("intake:step", args=[intake.public_id, LAST_STEP])
    data = {**step_data(LAST_STEP), "action": "next"}
    # Both taps read the draft, then wait on its row.
    responses = two_taps(first_tap, url, data, hold=Intake.objects.filter(pk=intake.pk))

    outcome = reverse("intake:outcome", args=[intake.public_id])
    assert statuses(responses) == [302, 302]
    assert [r["Location"] for r in responses] == [outcome, outcome]
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
    assert Screening.objects.filter(intake=intake).count() == 1
