"""A double tap on "Book this time": the second tap gets the booking page the first led to (issue 15).

PostgreSQL, real concurrent requests: the test holds a lock on the intake's
row while both taps pass the page's own check and reach the booking service,
then lets go; one books, the other finds the time already booked.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from screening.booking.models import Booking
from screening.intake.access import SESSION_KEY
from screening.intake.models import Intake
from tests.booking.conftest import at, slot_value, today
from tests.race import postgres_only, statuses, two_taps

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    postgres_only()


def test_a_double_tap_on_book_shows_the_booking_twice(make_intake, calendar):
    intake = make_intake()
    first_tap = Client(raise_request_exception=True)
    session = first_tap.session
    session[SESSION_KEY] = [str(intake.public_id)]
    session.save()
    url = reverse("booking:book", args=[intake.public_id])
    data = {"slot": slot_value(calendar["anna"], at(today() + timedelta(days=3), 10))}
    responses = two_taps(first_tap, url, data, hold=Intake.objects.filter(pk=intake.pk))

    booking_page = reverse("booking:booking", args=[intake.public_id])
    assert statuses(responses) == [302, 302]
    assert [r["Location"] for r in responses] == [booking_page, booking_page]
    assert Booking.objects.filter(intake=intake).count() == 1


def _booked(make_intake, calendar, *, days: int = 3) -> tuple[Intake, Client]:
    """A confirmed booking made through the page, and the patient's browser."""
    intake = make_intake()
    patient = Client(raise_request_exception=True)
    session = patient.session
    session[SESSION_KEY] = [str(intake.public_id)]
    session.save()
    slot = slot_value(calendar["anna"], at(today() + timedelta(days=days), 10))
    assert patient.post(reverse("booking:book", args=[intake.public_id]), {"slot": slot}).status_code == 302
    return intake, patient


def test_a_double_tap_on_move_moves_once_and_shows_the_booking_twice(make_intake, calendar):
    intake, patient = _booked(make_intake, calendar)
    url = reverse("booking:booking_move", args=[intake.public_id])
    data = {"slot": slot_value(calendar["anna"], at(today() + timedelta(days=4), 11))}
    responses = two_taps(patient, url, data, hold=Intake.objects.filter(pk=intake.pk))

    booking_page = reverse("booking:booking", args=[intake.public_id])
    assert statuses(responses) == [302, 302]
    assert [r["Location"] for r in responses] == [booking_page, booking_page]
    # One move: the first booking (moved) and its replacement, nothing more.
    assert list(Booking.objects.filter(intake=intake).order_by("id").values_list("status", flat=True)) == [
        "moved", "confirmed"]


def test_a_double_tap_on_cancel_cancels_once_and_shows_the_booking_page_without_an_error(make_intake, calendar):
    intake, patient = _booked(make_intake, calendar)
    booking = Booking.objects.get(intake=intake)
    url = reverse("booking:booking_cancel", args=[intake.public_id])
    responses = two_taps(patient, url, {}, hold=Booking.objects.filter(pk=booking.pk))

    booking_page = reverse("booking:booking", args=[intake.public_id])
    assert statuses(responses) == [302, 302]
    assert [r["Location"] for r in responses] == [booking_page, booking_page]
    page = patient.get(booking_page).content.decode()
    assert "There is no appointment to change" not in page
    assert "was cancelled" in page
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"
