"""Issue 17: the treatment's buffer, notice and furthest day, the location's hours, times shown once.

The first half is plain data (no database); the second books through the service.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from screening.booking.errors import BookingError
from screening.booking.models import Booking, Practitioner, WeeklyHours
from screening.booking.selectors import free_days_for
from screening.booking.services import booking_create
from screening.booking.slots import (
    PractitionerCalendar,
    day_slots,
    morning_and_afternoon,
    parse_slot_value,
    times_once,
)
from screening.core.models import Location, LocationHours, Treatment
from tests.booking.conftest import CLINIC_TZ, active_bookings, at, today

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2030, 1, 7)
HOUR = timedelta(hours=1)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


def calendar(pk: int = 1, name: str = "Anna", **kwargs) -> PractitionerCalendar:
    return PractitionerCalendar(practitioner_id=pk, name=name, weekly={0: [(time(9), time(17))]}, **kwargs)


def starts(slots) -> list[str]:
    return [f"{s.start.astimezone(LONDON):%H:%M}" for s in slots]


# --- plain data ---------------------------------------------------------------------


def test_a_buffer_keeps_the_time_after_an_appointment_free_before_the_next_one():
    busy = [(local(MONDAY, 11), local(MONDAY, 12))]
    without = starts(day_slots(calendar(busy=busy), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO))
    with_buffer = starts(day_slots(calendar(busy=busy), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO,
                                   buffer=timedelta(minutes=30)))
    assert "10:00" in without and "10:00" not in with_buffer  # 10:00-11:00 + 30 min runs into 11:00
    assert "09:30" in with_buffer  # ends 10:30, free until 11:00
    assert "16:00" in with_buffer  # the buffer may run past closing time


def test_the_location_hours_cut_the_practitioner_hours():
    slots = day_slots(calendar(location_weekly={0: [(time(10), time(12))]}), MONDAY, tz=LONDON, duration=HOUR,
                      not_before=LONG_AGO)
    assert starts(slots) == ["10:00", "10:30", "11:00"]
    closed_that_day = calendar(location_weekly={1: [(time(10), time(12))]})
    assert day_slots(closed_that_day, MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO) == []


def test_each_time_is_shown_once_for_any_practitioner_free_then():
    anna = day_slots(calendar(1, "Anna"), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO)
    ben = day_slots(calendar(2, "Ben", busy=[(local(MONDAY, 9), local(MONDAY, 10))]), MONDAY, tz=LONDON,
                    duration=HOUR, not_before=LONG_AGO)
    choices = times_once(anna + ben)
    assert len(choices) == len(anna)  # 15 times, not 28 buttons
    assert choices[0].practitioner_ids == (1,) and choices[-1].practitioner_ids == (1, 2)
    assert choices[0].value.startswith("any|")
    assert parse_slot_value(choices[0].value) == (None, local(MONDAY, 9))
    one = times_once(anna, one_practitioner=True)
    assert one[0].value.startswith("1|") and one[0].practitioner_name == "Anna"


def test_times_split_into_morning_and_afternoon_at_noon_clinic_time():
    choices = times_once(day_slots(calendar(), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO))
    morning, afternoon = morning_and_afternoon(choices, LONDON)
    assert starts(morning) == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert starts(afternoon)[0] == "12:00" and starts(afternoon)[-1] == "16:00"


def test_a_malformed_any_value_is_refused():
    assert parse_slot_value("anyone|2030-01-07T09:00Z") is None
    assert parse_slot_value("any|2030-01-07 09:00") is None


# --- through the database -----------------------------------------------------------



def _face(**changes) -> Treatment:
    face = Treatment.objects.get(code="face")
    for name, value in changes.items():
        setattr(face, name, value)
    face.save()
    return face


@pytest.mark.django_db
def test_minimum_notice_hides_and_refuses_times_too_soon(make_intake, calendar):
    _face(min_notice_hours=72)
    intake = make_intake()
    days = free_days_for(intake, tz=CLINIC_TZ, now=datetime.now(UTC))
    assert days and days[0].slots[0].start >= datetime.now(UTC) + timedelta(hours=72)
    with pytest.raises(BookingError) as refused:
        booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=1), 10))
    assert refused.value.code == "invalid_slot" and refused.value.alternatives
    assert active_bookings() == []


@pytest.mark.django_db
def test_the_furthest_bookable_day_is_the_treatments(make_intake, calendar):
    _face(max_days_ahead=3)
    intake = make_intake()
    days = free_days_for(intake, tz=CLINIC_TZ, now=datetime.now(UTC))
    assert days[-1].date == today() + timedelta(days=3)
    with pytest.raises(BookingError) as refused:
        booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=4), 10))
    assert refused.value.code == "invalid_slot"


@pytest.mark.django_db
def test_the_buffer_after_a_booking_is_honoured_when_booking(make_intake, calendar):
    _face(buffer_minutes=30)
    day = today() + timedelta(days=2)
    booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=at(day, 10))
    with pytest.raises(BookingError) as refused:  # 11:00 is inside Anna's 30 minutes after 10:00-11:00
        booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=at(day, 11))
    assert refused.value.code == "taken"
    assert booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=at(day, 11, 30))


@pytest.mark.django_db
def test_any_practitioner_gets_a_free_one_and_then_refuses_when_all_are_taken(make_intake, calendar):
    start = at(today() + timedelta(days=2), 10)
    first = booking_create(intake=make_intake(), practitioner_id=None, start=start)
    second = booking_create(intake=make_intake(), practitioner_id=None, start=start)
    assert {first.practitioner_id, second.practitioner_id} == {calendar["anna"].pk, calendar["ben"].pk}
    with pytest.raises(BookingError) as refused:  # Carol does only scalp
        booking_create(intake=make_intake(), practitioner_id=None, start=start)
    assert refused.value.code == "taken" and refused.value.alternatives
    assert Booking.objects.filter(start=start).count() == 2


@pytest.mark.django_db
def test_any_practitioner_at_a_location_stays_there_and_inside_its_hours(make_intake, calendar):
    face = Treatment.objects.get(code="face")
    north = Location.objects.create(name="North", address="1 North Road")
    north.treatments.add(face)
    LocationHours.objects.bulk_create(LocationHours(location=north, weekday=d, start=time(12), end=time(14))
                                      for d in range(7))
    nora = Practitioner.objects.create(name="Nora North", location=north)
    nora.treatments.add(face)
    WeeklyHours.objects.bulk_create(WeeklyHours(practitioner=nora, weekday=d, start=time(9), end=time(17))
                                    for d in range(7))
    day = today() + timedelta(days=2)
    intake = make_intake()
    days = free_days_for(intake, tz=CLINIC_TZ, now=datetime.now(UTC), location_id=north.pk)
    assert {f"{s.start.astimezone(CLINIC_TZ):%H:%M}" for d in days for s in d.slots} == {"12:00", "12:30", "13:00"}
    with pytest.raises(BookingError):
        booking_create(intake=intake, practitioner_id=None, start=at(day, 10), location_id=north.pk)
    booking = booking_create(intake=intake, practitioner_id=None, start=at(day, 12), location_id=north.pk)
    assert booking.practitioner == nora
