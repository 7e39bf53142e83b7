"""A held time is a fact of the intake's review state: every booking service that holds, moves or ends
one sets the state again, in its own transaction.

Each check also compares the stored state with the one the facts give
(``review_state_now``). The decisions' part is in tests/staff/test_review_state.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus
from screening.booking.services import (
    booking_cancel,
    booking_confirm_held,
    booking_create,
    booking_move,
    booking_release_held,
    bookings_expire_holds,
)
from screening.intake.models import Intake, ReviewState
from screening.intake.review import review_state_now
from screening.questionnaire.models import Outcome
from tests.booking.conftest import at, today

pytestmark = pytest.mark.django_db

# Radiation 200 days ago: eligible today, but a review rule holds any time within a year of it.
RADIATION = {"radiation_last_date": -200}


def state_of(intake: Intake) -> str:
    stored, computed = review_state_now(intake)
    assert stored == computed, f"stored {stored!r}, but the facts give {computed!r}"
    return stored


def start_in(days: int, hour: int = 10):
    return at(today() + timedelta(days=days), hour)


@pytest.fixture
def held(make_intake, calendar) -> Booking:
    """A time held by an otherwise eligible intake (a review flag for the appointment's date)."""
    intake = make_intake(Outcome.ELIGIBLE, answers=RADIATION)
    assert state_of(intake) == ReviewState.NONE
    booking = booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=start_in(5))
    assert booking.status == BookingStatus.HELD
    return booking


def test_a_hold_on_an_otherwise_eligible_intake_needs_review(held):
    assert state_of(held.intake) == ReviewState.NEEDS_REVIEW


def test_a_confirmed_booking_needs_no_review(make_intake, calendar):
    intake = make_intake(Outcome.ELIGIBLE)
    booking = booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=start_in(5))
    assert booking.status == BookingStatus.CONFIRMED
    assert state_of(intake) == ReviewState.NONE


def test_a_hold_the_patient_cancels_ends_the_review(held):
    booking_cancel(booking_id=held.pk)
    assert state_of(held.intake) == ReviewState.NONE


def test_a_hold_that_expires_ends_the_review(held):
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    assert bookings_expire_holds() == 1
    assert state_of(held.intake) == ReviewState.NONE


def test_a_hold_found_expired_when_the_patient_books_again_is_ended_with_its_review(held, calendar):
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    again = booking_create(intake=held.intake, practitioner_id=calendar["ben"].pk, start=start_in(6))
    assert Booking.objects.get(pk=held.pk).status == BookingStatus.EXPIRED
    assert again.status == BookingStatus.HELD  # the date rule holds the new time too
    assert state_of(held.intake) == ReviewState.NEEDS_REVIEW


def test_a_confirmed_or_released_hold_ends_the_review_it_caused(held, make_intake, calendar):
    booking_confirm_held(booking_id=held.pk)
    assert state_of(held.intake) == ReviewState.NONE

    other = make_intake(Outcome.ELIGIBLE, answers=RADIATION)
    hold = booking_create(intake=other, practitioner_id=calendar["ben"].pk, start=start_in(5))
    booking_release_held(booking_id=hold.pk)
    assert state_of(other) == ReviewState.NONE


def test_a_review_outcome_still_needs_review_when_its_hold_ends(make_intake, calendar):
    intake = make_intake(Outcome.REVIEW)
    hold = booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=start_in(5))
    assert state_of(intake) == ReviewState.NEEDS_REVIEW
    booking_release_held(booking_id=hold.pk)
    assert state_of(intake) == ReviewState.NEEDS_REVIEW


def test_moving_a_hold_keeps_it_under_review(held, calendar):
    moved = booking_move(intake=held.intake, practitioner_id=calendar["anna"].pk, start=start_in(7))
    assert moved.status == BookingStatus.HELD
    assert state_of(held.intake) == ReviewState.NEEDS_REVIEW
