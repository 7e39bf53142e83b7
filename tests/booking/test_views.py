"""The patient's booking pages, through Django's test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from screening.booking.models import Booking, BookingStatus
from screening.questionnaire.models import Outcome
from tests.booking.conftest import CLINIC_TZ, active_bookings, any_value, at, client_for, slot_value, today

pytestmark = pytest.mark.django_db


def url(name: str, intake) -> str:
    return reverse(f"booking:{name}", args=[intake.public_id])


def tomorrow_at(hour: int, minute: int = 0):
    return at(today() + timedelta(days=1), hour, minute)


def test_the_slot_picker_shows_free_times_by_day_in_clinic_time(make_intake, calendar):
    intake = make_intake()
    response = client_for(intake).get(url("book", intake))
    assert response.status_code == 200
    page = response.content.decode()
    day = response.context["days"][0]
    assert day.date >= today()
    assert "Europe/London time" in page
    assert response.context["selected"] == day
    first = day.slots[0]
    assert f'value="{any_value(first.start)}"' in page
    # Each time once: Anna and Ben are both free at the first time, one button.
    assert page.count(f'value="{any_value(first.start)}"') == 1 and f'value="{first.value}"' not in page
    assert first.start.astimezone(CLINIC_TZ).strftime("%H:%M") in page
    assert f"{day.date:%A} {day.date.day} {day.date:%B}" in page
    # Every day with free times has a tab; choosing one shows its times.
    tomorrow = today() + timedelta(days=1)
    assert f"day={tomorrow}" in page
    chosen = client_for(intake).get(url("book", intake) + f"?day={tomorrow}")
    assert chosen.context["selected"].date == tomorrow
    assert f'value="{any_value(tomorrow_at(10))}"' in chosen.content.decode()
    # Picking a practitioner shows their times, by name.
    anna = client_for(intake).get(url("book", intake) + f"?day={tomorrow}&practitioner={calendar['anna'].pk}")
    assert f'value="{slot_value(calendar["anna"], tomorrow_at(10))}"' in anna.content.decode()


def test_the_slot_pickers_first_offered_day_is_the_eligible_from_date(make_intake, calendar):
    intake = make_intake(Outcome.DEFERRED)
    response = client_for(intake).get(url("book", intake))
    assert response.context["days"][0].date == intake.eligible_from
    first_start = response.context["days"][0].slots[0].start
    assert first_start.astimezone(CLINIC_TZ).date() == intake.eligible_from
    # Asking for earlier dates does not reach before it.
    earlier = client_for(intake).get(url("book", intake) + f"?from={today()}")
    assert earlier.context["days"][0].date == intake.eligible_from


def test_a_review_intakes_picker_offers_a_hold(make_intake, calendar):
    intake = make_intake(Outcome.REVIEW)
    page = client_for(intake).get(url("book", intake)).content.decode()
    assert "Hold this time" in page


def test_booking_a_time_confirms_it_and_shows_the_manage_page(make_intake, calendar):
    intake = make_intake()
    client = client_for(intake)
    response = client.post(url("book", intake), {"slot": slot_value(calendar["anna"], tomorrow_at(10))})
    assert response.status_code == 302 and response["Location"] == url("booking", intake)
    page = client.get(url("booking", intake)).content.decode()
    assert "Your appointment is confirmed" in page
    assert "Anna Baker" in page and "10:00" in page
    assert url("booking_move", intake) in page and url("booking_cancel", intake) in page
    # A second visit to the picker goes to the booking instead.
    assert client.get(url("book", intake))["Location"] == url("booking", intake)


def test_a_time_taken_meanwhile_shows_the_taken_page_with_other_times(make_intake, calendar):
    slot = slot_value(calendar["anna"], tomorrow_at(10))
    first, second = make_intake(), make_intake()
    assert client_for(first).post(url("book", first), {"slot": slot}).status_code == 302
    response = client_for(second).post(url("book", second), {"slot": slot})
    assert response.status_code == 409
    page = response.content.decode()
    assert "That time was just taken" in page
    assert f'value="{slot}"' not in page
    # Anna's other times are offered (the time was chosen with her); Ben is still free at 10:00 for "any".
    assert f'value="{slot_value(calendar["anna"], tomorrow_at(11))}"' in page
    assert f'value="{any_value(tomorrow_at(10))}"' in client_for(second).get(
        url("book", second) + f"?day={today() + timedelta(days=1)}").content.decode()
    assert len(active_bookings()) == 1


@pytest.mark.parametrize("value", [
    "", "nonsense", "1|not-a-time", "<script>|2030-01-01T10:00Z", "9" * 39, "1|2030-01-01T10:00Z|x",
])
def test_a_malformed_slot_value_is_a_form_error(make_intake, calendar, value):
    intake = make_intake()
    response = client_for(intake).post(url("book", intake), {"slot": value})
    assert response.status_code == 400
    assert "Please choose" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_tampered_practitioner_or_time_is_refused_without_an_error_page(make_intake, calendar):
    intake = make_intake()
    client = client_for(intake)
    for value in [
        f"999999|{tomorrow_at(10):%Y-%m-%dT%H:%MZ}",  # no such practitioner
        slot_value(calendar["carol"], tomorrow_at(10)),  # does not do face treatments
        slot_value(calendar["anna"], tomorrow_at(10, 7)),  # off the grid
        slot_value(calendar["anna"], tomorrow_at(2)),  # outside opening hours
        slot_value(calendar["anna"], at(today() - timedelta(days=2), 10)),  # in the past
    ]:
        response = client.post(url("book", intake), {"slot": value})
        assert response.status_code == 400, value
        assert "That time is not available" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_slot_before_the_eligible_from_date_is_refused_with_the_earliest_date(make_intake, calendar):
    intake = make_intake(Outcome.DEFERRED)
    response = client_for(intake).post(url("book", intake), {"slot": slot_value(calendar["anna"], tomorrow_at(10))})
    assert response.status_code == 400
    assert response.context["error"].code == "too_early"
    assert response.context["days"][0].date == intake.eligible_from
    assert not Booking.objects.exists()


@pytest.mark.parametrize("outcome, kwargs, phrase", [
    (Outcome.NOT_SUITABLE, {}, "speak with your doctor"),
    (Outcome.INCOMPLETE, {}, "need another look"),
    (Outcome.ELIGIBLE, {"submitted_days_ago": 31}, "more than 30 days old"),
])
def test_intakes_that_may_not_book_are_refused_on_the_server(make_intake, calendar, outcome, kwargs, phrase):
    intake = make_intake(outcome, **kwargs)
    client = client_for(intake)
    page = client.get(url("book", intake))
    assert page.status_code == 403
    assert phrase in page.content.decode()
    assert 'name="slot"' not in page.content.decode()
    posted = client.post(url("book", intake), {"slot": slot_value(calendar["anna"], tomorrow_at(10))})
    assert posted.status_code == 403
    assert not Booking.objects.exists()


def test_someone_elses_intake_is_not_found_on_every_booking_page(make_intake, calendar):
    mine, theirs = make_intake(), make_intake()
    client_for(theirs).post(url("book", theirs), {"slot": slot_value(calendar["anna"], tomorrow_at(10))})
    client = client_for(mine)
    for name in ("book", "booking", "booking_cancel", "booking_move"):
        assert client.get(url(name, theirs)).status_code == 404, name
        assert client.post(url(name, theirs), {"slot": slot_value(calendar["ben"], tomorrow_at(12))}).status_code \
            in (404, 405), name
    assert Booking.objects.get().status == BookingStatus.CONFIRMED
    assert Booking.objects.count() == 1


def test_a_browser_without_any_access_gets_404(make_intake, calendar, client):
    intake = make_intake()
    assert client.get(url("book", intake)).status_code == 404


def test_every_booking_page_is_never_cached(make_intake, calendar):
    intake = make_intake()
    client = client_for(intake)
    client.post(url("book", intake), {"slot": slot_value(calendar["anna"], tomorrow_at(10))})
    for name in ("book", "booking", "booking_cancel", "booking_move"):
        response = client.get(url(name, intake))
        assert "no-store" in response["Cache-Control"], name


def test_the_manage_page_cancels_after_a_confirmation_step(make_intake, calendar):
    intake = make_intake()
    client = client_for(intake)
    client.post(url("book", intake), {"slot": slot_value(calendar["anna"], tomorrow_at(10))})
    confirm = client.get(url("booking_cancel", intake))
    assert "Yes, cancel it" in confirm.content.decode()
    assert active_bookings()  # a GET changes nothing
    response = client.post(url("booking_cancel", intake), follow=True)
    assert "Your appointment is cancelled" in response.content.decode()
    assert "Choose a time" in response.content.decode()
    assert not active_bookings()


def test_moving_from_the_manage_page_keeps_the_old_time_if_the_new_one_fails(make_intake, calendar):
    intake, other = make_intake(), make_intake()
    client = client_for(intake)
    client.post(url("book", intake), {"slot": slot_value(calendar["anna"], tomorrow_at(10))})
    client_for(other).post(url("book", other), {"slot": slot_value(calendar["ben"], tomorrow_at(14))})
    page = client.get(url("booking_move", intake) + f"?day={today() + timedelta(days=1)}").content.decode()
    assert "It stays booked unless the new time works" in page
    # Its own neighbouring times are offered (10:30 overlaps only itself).
    assert f'value="{any_value(tomorrow_at(10, 30))}"' in page
    failed = client.post(url("booking_move", intake), {"slot": slot_value(calendar["ben"], tomorrow_at(14))})
    assert failed.status_code == 409
    assert Booking.objects.get(intake=intake, status=BookingStatus.CONFIRMED).start == tomorrow_at(10)
    moved = client.post(url("booking_move", intake), {"slot": slot_value(calendar["anna"], tomorrow_at(10, 30))})
    assert moved.status_code == 302
    assert Booking.objects.get(intake=intake, status=BookingStatus.CONFIRMED).start == tomorrow_at(10, 30)


def test_the_move_page_without_a_booking_goes_to_the_picker(make_intake, calendar):
    intake = make_intake()
    assert client_for(intake).get(url("booking_move", intake))["Location"] == url("book", intake)
