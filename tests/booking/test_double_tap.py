"""A double tap on "Book this time": the second tap gets the booking page the first led to (issue 15).

PostgreSQL, real concurrent requests: the test holds a lock on the intake's
row while both taps pass the page's own check and reach the booking service,
then lets go; one books, the other finds the time already booked.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from screening.booking.models import Booking
from screening.intake.access import SESSION_KEY
from screening.intake.models import Intake
from tests.booking.conftest import at, slot_value, today

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two requests racing for one row (set DATABASE_URL=postgres://...)")


def test_a_double_tap_on_book_shows_the_booking_twice(make_intake, calendar):
    intake = make_intake()
    first_tap = Client(raise_request_exception=True)
    session = first_tap.session
    session[SESSION_KEY] = [str(intake.public_id)]
    session.save()
    second_tap = Client(raise_request_exception=True)
    second_tap.cookies = first_tap.cookies  # the same browser
    url = reverse("booking:book", args=[intake.public_id])
    data = {"slot": slot_value(calendar["anna"], at(today() + timedelta(days=3), 10))}
    responses: list = [None, None]

    def tap(index: int, client: Client) -> None:
        try:
            responses[index] = client.post(url, data)
        except Exception as exc:  # noqa: BLE001 - the test shows it
            responses[index] = exc
        finally:
            connections.close_all()

    with transaction.atomic():
        Intake.objects.select_for_update().get(pk=intake.pk)  # both taps pass the page's check, then wait here
        threads = [threading.Thread(target=tap, args=(i, c)) for i, c in enumerate((first_tap, second_tap))]
        for thread in threads:
            thread.start()
        time.sleep(1.5)
    for thread in threads:
        thread.join(timeout=30)

    booking_page = reverse("booking:booking", args=[intake.public_id])
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert [r["Location"] for r in responses] == [booking_page, booking_page]
    assert Booking.objects.filter(intake=intake).count() == 1
