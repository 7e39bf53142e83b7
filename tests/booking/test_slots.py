"""The free-time computation, over plain data: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from screening.booking.slots import (
    PractitionerCalendar,
    Slot,
    day_slots,
    free_days,
    opening_intervals,
    parse_slot_value,
)

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2030, 1, 7)
HOUR = timedelta(hours=1)
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def local(day: date, hour: int, minute: int = 0, tz: ZoneInfo = LONDON) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def nine_to_five(**kwargs) -> PractitionerCalendar:
    weekly = {d: [(time(9), time(17))] for d in range(5)}
    return PractitionerCalendar(practitioner_id=1, name="Anna", weekly=weekly, **kwargs)


def starts(slots: list[Slot], tz: ZoneInfo = LONDON) -> list[str]:
    return [f"{s.start.astimezone(tz):%H:%M}" for s in slots]


def test_slots_step_every_half_hour_and_fit_inside_the_opening_hours():
    slots = day_slots(nine_to_five(), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO)
    assert starts(slots)[0] == "09:00"
    assert starts(slots)[-1] == "16:00"
    assert len(slots) == 15
    assert all(s.end - s.start == HOUR for s in slots)


def test_a_longer_treatment_ends_before_closing_time():
    slots = day_slots(nine_to_five(), MONDAY, tz=LONDON, duration=timedelta(minutes=75), not_before=LONG_AGO)
    assert starts(slots)[-1] == "15:30"


def test_a_day_without_hours_has_no_slots():
    saturday = MONDAY + timedelta(days=5)
    assert day_slots(nine_to_five(), saturday, tz=LONDON, duration=HOUR, not_before=LONG_AGO) == []


def test_a_closed_day_has_no_slots_and_extra_hours_add_some():
    calendar = nine_to_five(
        closed=frozenset({MONDAY}),
        extra={MONDAY + timedelta(days=5): [(time(10), time(12))]},
    )
    assert day_slots(calendar, MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO) == []
    saturday = day_slots(calendar, MONDAY + timedelta(days=5), tz=LONDON, duration=HOUR, not_before=LONG_AGO)
    assert starts(saturday) == ["10:00", "10:30", "11:00"]


def test_closed_plus_extra_hours_replaces_the_days_hours():
    calendar = nine_to_five(closed=frozenset({MONDAY}), extra={MONDAY: [(time(13), time(15))]})
    assert starts(day_slots(calendar, MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO)) == [
        "13:00", "13:30", "14:00"]


def test_extra_hours_next_to_regular_hours_merge_into_one_stretch():
    calendar = nine_to_five(extra={MONDAY: [(time(17), time(19))]})
    assert opening_intervals(calendar, MONDAY, LONDON) == [(local(MONDAY, 9), local(MONDAY, 19))]


def test_busy_times_are_not_offered_but_their_neighbours_are():
    busy = [(local(MONDAY, 10), local(MONDAY, 11))]
    slots = day_slots(nine_to_five(busy=busy), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO)
    assert "09:00" in starts(slots) and "11:00" in starts(slots)
    assert not {"09:30", "10:00", "10:30"} & set(starts(slots))


def test_include_busy_gives_the_whole_grid():
    busy = [(local(MONDAY, 10), local(MONDAY, 11))]
    grid = day_slots(nine_to_five(busy=busy), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO,
                     include_busy=True)
    assert len(grid) == 15


def test_no_slot_starts_before_not_before():
    slots = day_slots(nine_to_five(), MONDAY, tz=LONDON, duration=HOUR, not_before=local(MONDAY, 12, 10))
    assert starts(slots)[0] == "12:30"


def test_hours_are_clinic_wall_clock_time_across_a_summer_time_change():
    # 31 March 2030 is the Sunday the clocks go forward in London.
    monday_after = date(2030, 4, 1)
    friday_before = date(2030, 3, 29)
    for day in (friday_before, monday_after):
        slots = day_slots(nine_to_five(), day, tz=LONDON, duration=HOUR, not_before=LONG_AGO)
        assert starts(slots)[0] == "09:00"
    assert local(friday_before, 9).hour == 9  # GMT
    assert local(monday_after, 9).hour == 8  # BST is UTC+1


def test_free_days_leaves_out_days_without_slots_and_sorts_by_time():
    other = PractitionerCalendar(practitioner_id=2, name="Ben", weekly={0: [(time(8), time(10))]})
    days = free_days([nine_to_five(), other], tz=LONDON, first_day=MONDAY, last_day=MONDAY + timedelta(days=6),
                     duration=HOUR, not_before=LONG_AGO)
    assert [d.date for d in days] == [MONDAY + timedelta(days=i) for i in range(5)]
    monday = days[0].slots
    assert [s.start for s in monday] == sorted(s.start for s in monday)
    assert starts(list(monday))[:2] == ["08:00", "08:30"]


def test_a_slot_value_round_trips_and_junk_is_refused():
    slot = day_slots(nine_to_five(), MONDAY, tz=LONDON, duration=HOUR, not_before=LONG_AGO)[0]
    assert parse_slot_value(slot.value) == (1, slot.start)
    for junk in ["", "1", "1|", "|2030-01-07T09:00Z", "x|2030-01-07T09:00Z", "1|2030-13-07T09:00Z",
                 "1|2030-01-07 09:00", "-1|2030-01-07T09:00Z", "1|2|3", "١|2030-01-07T09:00Z", None, "9" * 50]:
        assert parse_slot_value(junk) is None, junk


@settings(max_examples=150, deadline=None)
@given(
    bookings=st.lists(st.tuples(st.integers(0, 95), st.integers(1, 24)), max_size=8),
    duration=st.sampled_from([30, 45, 60, 75, 90]),
    not_before_quarter=st.integers(0, 96),
    tz_name=st.sampled_from(["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"]),
)
def test_free_slots_never_overlap_a_booking_never_leave_the_hours_never_start_too_early(
    bookings, duration, not_before_quarter, tz_name
):
    tz = ZoneInfo(tz_name)
    midnight = datetime.combine(MONDAY, time(0), tzinfo=tz).astimezone(UTC)
    quarter = timedelta(minutes=15)
    busy = [(midnight + q * quarter, midnight + (q + n) * quarter) for q, n in bookings]
    calendar = PractitionerCalendar(1, "Anna", weekly={0: [(time(9), time(17))]}, busy=busy)
    floor = midnight + not_before_quarter * quarter
    length = timedelta(minutes=duration)
    slots = day_slots(calendar, MONDAY, tz=tz, duration=length, not_before=floor)
    grid = day_slots(calendar, MONDAY, tz=tz, duration=length, not_before=floor, include_busy=True)
    opens, closes = local(MONDAY, 9, tz=tz), local(MONDAY, 17, tz=tz)
    for slot in slots:
        assert slot in grid
        assert opens <= slot.start and slot.end <= closes
        assert slot.start >= floor
        assert slot.end - slot.start == length
        assert not any(b0 < slot.end and slot.start < b1 for b0, b1 in busy)
    # Every grid slot left out is left out for a reason: it overlaps a booking.
    for slot in grid:
        if slot not in slots:
            assert any(b0 < slot.end and slot.start < b1 for b0, b1 in busy)
