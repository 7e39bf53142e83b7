"""The staff queue: submitted intakes, those needing review first, a page at a time.

Its order has two parts:

1. TO_REVIEW: the intakes that need review (``Intake.review_state``), held
   times soonest first, then the longest waiting. The review backlog, found
   through the index on (review_state, submitted_at, id);
2. THE_REST: every other submitted intake, newest first, read from the
   index on submitted_at.

Next and Previous continue from the last (or first) row shown, its place in
this order carried in the link (keyset pagination), so page 4,000 costs what
page 2 does. A page number alone is read by offset, up to ``MAX_OFFSET``
rows. The total is counted up to ``COUNT_CAP`` ("more than 1,000"): an exact
count of a million rows is a scan on every visit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking, BookingStatus
from screening.core.clinic import clinic_time_zone_column, clinic_zone
from screening.intake.models import Flag, Intake, ReviewState, Screening
from screening.questionnaire.models import Rule
from screening.review.json_rows import json_rows, rows_of

PAGE_SIZE = 25
COUNT_CAP = 1000
MAX_OFFSET = 10_000

TO_REVIEW, THE_REST = 0, 1
# Each part's order, "-" for descending. Within TO_REVIEW, rows without a held time come last.
ORDER = {
    TO_REVIEW: ("no_hold", "held_start", "submitted_at", "pk"),
    THE_REST: ("-submitted_at", "-pk"),
}
# A row's place in the queue: its part, and its values of that part's ORDER fields.
Cursor = tuple[int, tuple]


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""  # a ReviewState value; "" for all
    outcome: str = ""
    rule: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str = ""


@dataclass(frozen=True)
class QueuePosition:
    """Where a page starts: its number, and the row just before it (``after``) or just after it (``before``)."""

    page: int = 1
    after: Cursor | None = None
    before: Cursor | None = None

    @classmethod
    def from_params(cls, params) -> QueuePosition:
        try:
            page = min(max(int(params.get("page") or 1), 1), MAX_OFFSET // PAGE_SIZE + 1)
        except (TypeError, ValueError):
            page = 1
        return cls(page=page, after=_parse_cursor(params.get("after")), before=_parse_cursor(params.get("before")))

    def as_params(self) -> dict[str, str]:
        params = {"page": str(self.page)}
        if self.after:
            params["after"] = _cursor_text(self.after)
        if self.before:
            params["before"] = _cursor_text(self.before)
        return params


@dataclass
class QueueRows:
    """One page of the queue; what Django's Page offers the template, without a full count."""

    object_list: list[Intake]
    number: int
    num_pages: int | None = None
    next: QueuePosition | None = None
    previous: QueuePosition | None = None
    # Set by the view: the links, with the filters kept.
    next_query: str = ""
    previous_query: str = ""

    def has_next(self) -> bool:
        return self.next is not None

    def has_previous(self) -> bool:
        return self.previous is not None


@dataclass
class QueuePage:
    page: QueueRows
    counts: dict[str, int]
    filters: QueueFilters
    total_capped: bool = False
    count_cap: int = COUNT_CAP
    zone: ZoneInfo | None = None


@dataclass(frozen=True)
class FlagBadge:
    rule_code: str
    rule_name: str


@dataclass(frozen=True)
class BookingBadge:
    start: datetime
    status: str

    def get_status_display(self) -> str:
        return BookingStatus(self.status).label


def queue_page(*, filters: QueueFilters, position: QueuePosition | None = None,
               page_number: str | int | None = None) -> QueuePage:
    """One page of the queue and its counts: the counts, the rows of one part or both, and the capped total
    (a date filter also reads the clinic's time zone)."""
    position = position or QueuePosition.from_params({"page": page_number})
    filtered = _filtered(filters)
    counts = _counts(filtered)
    # TO_REVIEW holds exactly the intakes counted as needing review: an offset past it skips it unread.
    page = _read_page(filtered, position, to_review=counts["needs_review"])
    total = _capped_total(filtered)
    capped = total > COUNT_CAP
    counts["total"] = min(total, COUNT_CAP)
    if not capped:
        page.num_pages = max(1, math.ceil(counts["total"] / PAGE_SIZE))
    zone = next((intake.zone for intake in page.object_list if intake.zone), None)
    return QueuePage(page=page, counts=counts, filters=filters, total_capped=capped, count_cap=COUNT_CAP,
                     zone=ZoneInfo(zone) if zone else default_zone())


def rule_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} · {name}") for code, name in Rule.objects.order_by("code").values_list("code", "name")]


def default_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


# --- what is asked for, and how many ------------------------------------------------


def _filtered(filters: QueueFilters) -> QuerySet[Intake]:
    qs = Intake.objects.filter(status=Intake.Status.SUBMITTED)
    if filters.state:
        qs = qs.filter(review_state=filters.state)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.rule:
        latest = (
            Screening.objects.filter(intake_id=OuterRef(OuterRef("pk")))
            .order_by("-created_at", "-id").values("id")[:1]
        )
        qs = qs.filter(Exists(Flag.objects.filter(screening_id=Subquery(latest), rule_code=filters.rule)))
    if filters.submitted_from or filters.submitted_to:
        tz = clinic_zone()  # a query, only when a date is asked for
        if filters.submitted_from:
            qs = qs.filter(submitted_at__gte=datetime.combine(filters.submitted_from, time(0), tzinfo=tz))
        if filters.submitted_to:
            qs = qs.filter(
                submitted_at__lt=datetime.combine(filters.submitted_to + timedelta(days=1), time(0), tzinfo=tz)
            )
    for word in filters.search.split()[:5]:
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return qs


def _counts(filtered: QuerySet[Intake]) -> dict[str, int]:
    """How many need review, hold a time, wait for the patient: one query, through the review_state index."""
    held = Exists(Booking.objects.filter(intake_id=OuterRef("pk"), status=BookingStatus.HELD))
    return filtered.filter(review_state__in=(ReviewState.NEEDS_REVIEW, ReviewState.WAITING)).aggregate(
        needs_review=Count("pk", filter=Q(review_state=ReviewState.NEEDS_REVIEW)),
        held=Count("pk", filter=Q(held)),
        waiting=Count("pk", filter=Q(review_state=ReviewState.WAITING)),
    )


def _capped_total(filtered: QuerySet[Intake]) -> int:
    """How many match, counted up to COUNT_CAP + 1: a count over at most that many index entries."""
    return filtered.order_by().values("pk")[: COUNT_CAP + 1].count()


# --- a page: rows of the two parts, by keyset or offset ---------------------------------


def _read_page(filtered: QuerySet[Intake], position: QueuePosition, *, to_review: int) -> QueueRows:
    """The page at ``position``: beyond its cursor when it has one, else by its number."""
    if position.after:
        rows = _take(filtered, PAGE_SIZE + 1, start=position.after)
        if rows:
            return _page(rows, max(position.page, 2), more=len(rows) > PAGE_SIZE)
    if position.before:
        rows = _take(filtered, PAGE_SIZE + 1, forward=False, start=position.before)
        if len(rows) > PAGE_SIZE:  # else going back reaches the start: page 1
            return _page(list(reversed(rows[:PAGE_SIZE])), max(position.page, 2), more=True)
    number = 1 if position.after or position.before else position.page
    rows = _take(filtered, PAGE_SIZE + 1, skip=(number - 1) * PAGE_SIZE, to_review=to_review)
    if not rows and number > 1:
        number, rows = 1, _take(filtered, PAGE_SIZE + 1)
    return _page(rows, number, more=len(rows) > PAGE_SIZE)


def _page(rows: list[Intake], number: int, *, more: bool) -> QueueRows:
    """The rows shown (``rows`` may hold one more, from the next page), with Next and Previous."""
    shown = rows[:PAGE_SIZE]
    for intake in shown:
        flags = sorted(rows_of(intake.flag_rows), key=lambda row: row["id"])
        intake.flags = [FlagBadge(row["rule_code"], row["rule_name"]) for row in flags]
        intake.booking = BookingBadge(intake.booking_start, intake.booking_status) if intake.booking_start else None
    page = QueueRows(shown, number)
    if more:
        page.next = QueuePosition(page=number + 1, after=shown[-1].queue_cursor)
    if number > 1:  # page 1 is the start, wherever the rows stand now
        page.previous = (QueuePosition(page=1) if number == 2
                         else QueuePosition(page=number - 1, before=shown[0].queue_cursor))
    return page


def _take(filtered: QuerySet[Intake], count: int, *, forward: bool = True, start: Cursor | None = None,
          skip: int = 0, to_review: int | None = None) -> list[Intake]:
    """Up to ``count`` rows in the queue's order (or the reverse), beyond ``start`` or after ``skip`` rows."""
    first, beyond = start if start else (TO_REVIEW if forward else THE_REST, None)
    rows: list[Intake] = []
    for part in (range(first, THE_REST + 1) if forward else range(first, TO_REVIEW - 1, -1)):
        if part == TO_REVIEW and to_review is not None and skip >= to_review:
            skip -= to_review
            continue
        rows += _read(filtered, part, forward=forward, beyond=beyond, skip=skip, count=count - len(rows))
        beyond, skip = None, 0
        if len(rows) >= count:
            break
    return rows


def _read(filtered: QuerySet[Intake], part: int, *, forward: bool, beyond: tuple | None, skip: int,
          count: int) -> list[Intake]:
    """Rows of one part, in its order or the reverse, from an offset or beyond a row's key: one query."""
    qs = _part(filtered, part)
    if beyond is not None:
        qs = qs.filter(_beyond(ORDER[part], beyond, forward=forward))
    order = ORDER[part] if forward else tuple(n[1:] if n.startswith("-") else f"-{n}" for n in ORDER[part])
    rows = list(_shown(qs.order_by(*order))[skip:skip + count])
    for intake in rows:
        intake.queue_cursor = (part, tuple(getattr(intake, name.lstrip("-")) for name in ORDER[part]))
    return rows


def _part(filtered: QuerySet[Intake], part: int) -> QuerySet[Intake]:
    # An intake has one active (held or confirmed) booking at most (booking_one_active_per_intake):
    # joined, not looked up by a subquery per column.
    filtered = filtered.annotate(active_booking=FilteredRelation(
        "bookings", condition=Q(bookings__status__in=ACTIVE_BOOKING_STATUSES)))
    if part == THE_REST:
        return filtered.exclude(review_state=ReviewState.NEEDS_REVIEW)
    return (
        filtered.filter(review_state=ReviewState.NEEDS_REVIEW)
        .annotate(held_start=Case(When(active_booking__status=BookingStatus.HELD, then=F("active_booking__start"))))
        .annotate(no_hold=Case(When(held_start__isnull=True, then=Value(1)), default=Value(0),
                               output_field=IntegerField()))
    )


def _beyond(order: tuple[str, ...], key: tuple, *, forward: bool) -> Q:
    """The rows after ``key`` in ``order`` (before it when not ``forward``), compared field by field.

    The first field's own bound (``<=`` or ``>=``) is repeated outside the
    comparison: alone, it is what lets the database start its index scan at
    the key instead of filtering every row before it. A null in the key (no
    held time) only equals a null: ``no_hold``, the field before it, already
    puts those rows apart.
    """
    beyond, same = Q(pk__in=[]), Q()
    for name, value in zip(order, key):
        field = name.lstrip("-")
        if value is None:
            same &= Q(**{f"{field}__isnull": True})
            continue
        later = "gt" if forward != name.startswith("-") else "lt"
        beyond |= same & Q(**{f"{field}__{later}": value})
        same &= Q(**{field: value})
    first = order[0].lstrip("-")
    if key[0] is not None:
        beyond &= Q(**{f"{first}__{'gte' if forward != order[0].startswith('-') else 'lte'}": key[0]})
    return beyond


def _shown(qs: QuerySet[Intake]) -> QuerySet[Intake]:
    """Intakes of a part (``_part``) as the queue shows them: the active booking and the latest flags come
    along, in one query."""
    latest = Screening.objects.filter(intake_id=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        qs.select_related("treatment")
        .defer("answers")
        .annotate(
            latest_screening_id=Subquery(latest.values("id")[:1]),
            # "recheck": the patient's check before a visit raised what the clinician is to look at.
            latest_reason=Subquery(latest.values("reason")[:1]),
            booking_start=F("active_booking__start"),
            booking_status=F("active_booking__status"),
            zone=clinic_time_zone_column(),
        )
        .annotate(flag_rows=json_rows(Flag.objects.filter(screening_id=OuterRef("latest_screening_id")),
                                      group_by="screening_id", id="id", rule_code="rule_code", rule_name="rule_name"))
    )


# --- cursors in links ----------------------------------------------------------------


def _cursor_text(cursor: Cursor) -> str:
    """``0_<held start or nothing>_<sent>_<id>`` in TO_REVIEW, ``1_<sent>_<id>`` in THE_REST."""
    part, key = cursor
    if part == TO_REVIEW:
        _no_hold, held, sent, pk = key
        return f"{part}_{held.isoformat() if held else ''}_{sent.isoformat()}_{pk}"
    sent, pk = key
    return f"{part}_{sent.isoformat()}_{pk}"


def _parse_cursor(raw) -> Cursor | None:
    """The cursor in a link, or None for anything that is not one (a page number is used instead)."""
    if not isinstance(raw, str) or len(raw) > 120:
        return None
    part, *values = raw.split("_")
    if not values or not values[-1].isdigit() or len(values[-1]) > 18:
        return None
    try:
        if part == str(TO_REVIEW) and len(values) == 3:
            held = _moment(values[0]) if values[0] else None
            return TO_REVIEW, (int(held is None), held, _moment(values[1]), int(values[2]))
        if part == str(THE_REST) and len(values) == 2:
            return THE_REST, (_moment(values[0]), int(values[1]))
    except (ValueError, OverflowError):
        pass
    return None


def _moment(text: str) -> datetime:
    """An aware moment, in UTC (a time at the calendar's very edge does not fit there: OverflowError)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return moment.astimezone(UTC)
