"""Free appointment times, computed from plain data (no database).

Opening hours are wall-clock times in the practitioner's location's time zone
(``PractitionerCalendar.tz``; else the zone the caller reads in); bookings and
slots are aware datetimes, compared in UTC, so a DST change in either zone
moves nothing by an hour. A slot starts on the step grid
of an opening interval (09:00, 09:30, ...), lasts the treatment's duration,
fits inside the interval (and inside the location's hours, when it has
some), starts no earlier than ``not_before`` and, with the treatment's
buffer after it, overlaps no busy interval (busy intervals carry their own
bookings' buffers). The patient sees each time once (``times_once``): any
practitioner free then can take it. The selectors turn models into these structures; this
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
    # held (unexpired) and confirmed bookings, as aware [start, end + their buffer)
    busy: Sequence[Interval] = ()
    # the location's opening hours by weekday; None: the location sets none, the practitioner's decide
    location_weekly: Mapping[int, Sequence[Hours]] | None = None
    # the zone all of these hours (and "a day") are in: the location's; None: the caller's ``tz``
    tz: ZoneInfo | None = None


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


ANY = "any"


@dataclass(frozen=True)
class TimeChoice:
    """One time as the patient sees it: once, whoever of the practitioners is free then."""

    start: datetime
    end: datetime
    practitioner_ids: tuple[int, ...]
    practitioner_name: str = ""  # set when only one practitioner is shown

    @property
    def value(self) -> str:
        """What the picker posts back: "any" (or the one practitioner shown) and the UTC start."""
        who = str(self.practitioner_ids[0]) if self.practitioner_name else ANY
        return f"{who}|{self.start.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def times_once(slots: Sequence[Slot], *, one_practitioner: bool = False) -> list[TimeChoice]:
    """Each start once, in order, with every practitioner free then (``one_practitioner``: name them)."""
    by_start: dict[datetime, list[Slot]] = {}
    for slot in sorted(slots):
        by_start.setdefault(slot.start, []).append(slot)
    return [
        TimeChoice(start, same[0].end, tuple(s.practitioner_id for s in same),
                   same[0].practitioner_name if one_practitioner else "")
        for start, same in by_start.items()
    ]


#: Before this hour (the location's time) a time is in the morning; from it, in the afternoon.
AFTERNOON_FROM = time(12)


def morning_and_afternoon(choices: Sequence[TimeChoice], tz: ZoneInfo) -> tuple[list[TimeChoice], list[TimeChoice]]:
    """The day's times split at noon, in ``tz`` (the location's)."""
    morning = [c for c in choices if c.start.astimezone(tz).time() < AFTERNOON_FROM]
    afternoon = [c for c in choices if c.start.astimezone(tz).time() >= AFTERNOON_FROM]
    return morning, afternoon


def parse_slot_value(value: str) -> tuple[int | None, datetime] | None:
    """(practitioner id, or None for any practitioner; aware UTC start) from a posted slot value, or None."""
    if not isinstance(value, str) or len(value) > 40 or value.count("|") != 1:
        return None
    raw_id, raw_start = value.split("|")
    if raw_id != ANY and (not raw_id.isascii() or not raw_id.isdigit() or len(raw_id) > 12):
        return None
    try:
        start = datetime.strptime(raw_start, "%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return (None if raw_id == ANY else int(raw_id)), start


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def opening_intervals(calendar: PractitionerCalendar, day: date, tz: ZoneInfo) -> list[Interval]:
    """The practitioner's opening hours on ``day`` (in their zone, else ``tz``), as merged UTC intervals."""
    tz = calendar.tz or tz
    hours: list[Hours] = []
    if day not in calendar.closed:
        hours.extend(calendar.weekly.get(day.weekday(), ()))
    hours.extend(calendar.extra.get(day, ()))
    intervals = _merge(_as_utc(hours, day, tz))
    if calendar.location_weekly is None:
        return intervals
    return _intersect(intervals, _merge(_as_utc(calendar.location_weekly.get(day.weekday(), ()), day, tz)))


def _as_utc(hours: Iterable[Hours], day: date, tz: ZoneInfo) -> list[Interval]:
    intervals = []
    for opens, closes in hours:
        start = datetime.combine(day, opens, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day, closes, tzinfo=tz).astimezone(UTC)
        if start < end:
            intervals.append((start, end))
    return intervals


def _intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The parts of the merged intervals ``a`` that are also in the merged intervals ``b``."""
    return [(max(a0, b0), min(a1, b1)) for a0, a1 in a for b0, b1 in b if max(a0, b0) < min(a1, b1)]


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
    buffer: timedelta = timedelta(0),
) -> list[Slot]:
    """One practitioner's slots on ``day``: free ones, or with ``include_busy`` every slot on the grid.

    ``buffer``: the time kept free after the appointment; it may run past closing time.
    """
    slots = []
    for open_start, open_end in opening_intervals(calendar, day, tz):
        start = open_start
        while start + duration <= open_end:
            end = start + duration
            if start >= not_before and (include_busy or not _overlaps(start, end + buffer, calendar.busy)):
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
    buffer: timedelta = timedelta(0),
) -> list[Day]:
    """Free slots of all practitioners, by day (each practitioner's day in their zone); days without one are
    left out."""
    days = []
    day = first_day
    while day <= last_day:
        slots: list[Slot] = []
        for calendar in calendars:
            slots.extend(
                day_slots(calendar, day, tz=tz, duration=duration, not_before=not_before, step=step, buffer=buffer)
            )
        if slots:
            slots.sort(key=lambda s: (s.start, s.practitioner_name, s.practitioner_id))
            days.append(Day(day, tuple(slots)))
        day += timedelta(days=1)
    return days
