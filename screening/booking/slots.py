"""Free appointment times, computed from plain data (no database).

Opening hours are wall-clock times in the clinic's time zone; bookings and
slots are aware datetimes, compared in UTC. A slot starts on the step grid
of an opening interval (09:00, 09:30, ...), lasts the treatment's duration,
fits inside the interval, starts no earlier than ``not_before`` and overlaps
no busy interval. The selectors turn models into these structures; this
module is tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[datetime, datetime]
Hours = tuple[time, time]

DEFAULT_STEP = timedelta(minutes=30)


@dataclass(frozen=True)
class PractitionerCalendar:
    """One practitioner's hours and busy times over some range of days."""

    practitioner_id: int
    name: str
    # weekday (Monday 0) -> opening hours on that weekday
    weekly: Mapping[int, Sequence[Hours]] = field(default_factory=dict)
    # days off: the weekly hours do not apply on these dates
    closed: frozenset[date] = frozenset()
    # extra hours on a date (they apply even on a day marked closed, so
    # "closed" + "extra" replaces a day's hours)
    extra: Mapping[date, Sequence[Hours]] = field(default_factory=dict)
    # held (unexpired) and confirmed bookings, as aware [start, end)
    busy: Sequence[Interval] = ()


@dataclass(frozen=True, order=True)
class Slot:
    start: datetime
    end: datetime
    practitioner_id: int
    practitioner_name: str = field(compare=False, default="")

    @property
    def value(self) -> str:
        """What the slot picker posts back: practitioner and UTC start."""
        return f"{self.practitioner_id}|{self.start.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


@dataclass(frozen=True)
class Day:
    date: date
    slots: tuple[Slot, ...]


def parse_slot_value(value: str) -> tuple[int, datetime] | None:
    """(practitioner id, aware UTC start) from a posted slot value, or None."""
    if not isinstance(value, str) or len(value) > 40 or value.count("|") != 1:
        return None
    raw_id, raw_start = value.split("|")
    if not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 12:
        return None
    try:
        start = datetime.strptime(raw_start, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(raw_id), start


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def opening_intervals(calendar: PractitionerCalendar, day: date, tz: ZoneInfo) -> list[Interval]:
    """The practitioner's opening hours on ``day`` (clinic time), as merged UTC intervals."""
    hours: list[Hours] = []
    if day not in calendar.closed:
        hours.extend(calendar.weekly.get(day.weekday(), ()))
    hours.extend(calendar.extra.get(day, ()))
    intervals = []
    for opens, closes in hours:
        start = datetime.combine(day, opens, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day, closes, tzinfo=tz).astimezone(UTC)
        if start < end:
            intervals.append((start, end))
    return _merge(intervals)


def _overlaps(start: datetime, end: datetime, busy: Sequence[Interval]) -> bool:
    return any(b_start < end and start < b_end for b_start, b_end in busy)


def day_slots(
    calendar: PractitionerCalendar,
    day: date,
    *,
    tz: ZoneInfo,
    duration: timedelta,
    not_before: datetime,
    step: timedelta = DEFAULT_STEP,
    include_busy: bool = False,
) -> list[Slot]:
    """One practitioner's slots on ``day``: free ones, or with ``include_busy`` every slot on the grid."""
    slots = []
    for open_start, open_end in opening_intervals(calendar, day, tz):
        start = open_start
        while start + duration <= open_end:
            end = start + duration
            if start >= not_before and (include_busy or not _overlaps(start, end, calendar.busy)):
                slots.append(Slot(start, end, calendar.practitioner_id, calendar.name))
            start += step
    return slots


def free_days(
    calendars: Sequence[PractitionerCalendar],
    *,
    tz: ZoneInfo,
    first_day: date,
    last_day: date,
    duration: timedelta,
    not_before: datetime,
    step: timedelta = DEFAULT_STEP,
) -> list[Day]:
    """Free slots of all practitioners, by clinic day; days without one are left out."""
    days = []
    day = first_day
    while day <= last_day:
        slots: list[Slot] = []
        for calendar in calendars:
            slots.extend(
                day_slots(calendar, day, tz=tz, duration=duration, not_before=not_before, step=step)
            )
        if slots:
            slots.sort(key=lambda s: (s.start, s.practitioner_name, s.practitioner_id))
            days.append(Day(day, tuple(slots)))
        day += timedelta(days=1)
    return days
