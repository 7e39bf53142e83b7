"""A double tap on "Send my answers": the second tap gets the page the first led to, never a 500.

PostgreSQL, real concurrent requests: the test holds a lock on the intake's
row while both taps read the draft and reach the write, then lets go; one
submits, the other finds the answers already sent.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from screening.intake.models import Intake, Screening
from tests.intake.helpers import LAST_STEP, draft_at, step_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two requests racing for one row (set DATABASE_URL=postgres://...)")


def test_a_double_tap_on_the_final_submit_shows_the_outcome_twice():
    first_tap = Client(raise_request_exception=True)
    intake = draft_at(first_tap, LAST_STEP)
    second_tap = Client(raise_request_exception=True)
    second_tap.cookies = first_tap.cookies  # the same browser
    url = reverse("intake:step", args=[intake.public_id, LAST_STEP])
    data = {**step_data(LAST_STEP), "action": "next"}
    responses: list = [None, None]

    def tap(index: int, client: Client) -> None:
        try:
            responses[index] = client.post(url, data)
        except Exception as exc:  # noqa: BLE001 - a 500 would arrive here; the test shows it
            responses[index] = exc
        finally:
            connections.close_all()

    with transaction.atomic():
        Intake.objects.select_for_update().get(pk=intake.pk)  # both taps read the draft, then wait here
        threads = [threading.Thread(target=tap, args=(i, c)) for i, c in enumerate((first_tap, second_tap))]
        for thread in threads:
            thread.start()
        time.sleep(1.5)  # long enough for both to be waiting on the row
    for thread in threads:
        thread.join(timeout=30)

    outcome = reverse("intake:outcome", args=[intake.public_id])
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert [r["Location"] for r in responses] == [outcome, outcome]
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
    assert Screening.objects.filter(intake=intake).count() == 1
