"""The staff queue: submitted intakes, those needing review first, a page at a time.

It stays as fast with a million intakes as with a hundred, because it never
sorts or counts the archive:

- The *head* holds the intakes that need review or hold a time, ordered as
  clinicians work (held times soonest first, then the longest waiting). It
  is the review backlog, not the archive: it is found by index from three
  short lists (review outcomes, held bookings, open questions), read as keys
  in one query, and counted and ordered in Python.
- The *tail* is every other submitted intake, newest first, read from the
  index on ``submitted_at`` one page at a time. Past the first page of the
  tail, pages continue from the last row shown (keyset pagination), so page
  4,000 costs what page 2 does.
- The total is counted up to ``COUNT_CAP`` ("more than 1,000"): an exact
  count of a million rows is a scan on every visit.

Each row's flags and booking come in the row's own query (``json_rows``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking, BookingStatus
from screening.core.clinic import clinic_zone
from screening.intake.models import Flag, Intake, PatientQuestion, Screening
from screening.questionnaire.models import Outcome, Rule
from screening.review.json_rows import json_rows, rows_of
from screening.review.review import (
    ReviewState,
    clinic_time_zone_column,
    decided_annotation,
    needs_review,
    review_annotations,
    review_state,
)

PAGE_SIZE = 25
COUNT_CAP = 1000
# A page number typed by hand reads the tail by offset; past this many rows it is refused (page 1).
MAX_OFFSET = 10_000


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""  # "", "review", "waiting"
    outcome: str = ""
    rule: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str = ""


@dataclass(frozen=True)
class QueuePosition:
    """Where a page starts: a page number, or just after / before a tail row (its submitted_at and id)."""

    page: int = 1
    after: tuple[datetime, int] | None = None
    before: tuple[datetime, int] | None = None

    @classmethod
    def from_params(cls, params) -> QueuePosition:
        try:
            page = min(max(int(params.get("page") or 1), 1), MAX_OFFSET // PAGE_SIZE + 1)
        except (TypeError, ValueError):
            page = 1
        return cls(page=page, after=_cursor(params.get("after")), before=_cursor(params.get("before")))

    def as_params(self) -> dict[str, str]:
        params = {"page": str(self.page)}
        if self.after:
            params["after"] = _cursor_text(self.after)
        if self.before:
            params["before"] = _cursor_text(self.before)
        return params


def _cursor(raw) -> tuple[datetime, int] | None:
    if not raw or not isinstance(raw, str) or len(raw) > 60 or "_" not in raw:
        return None
    moment, _, pk = raw.rpartition("_")
    try:
        parsed = datetime.fromisoformat(moment)
        return (parsed, int(pk)) if parsed.tzinfo else None
    except ValueError:
        return None


def _cursor_text(cursor: tuple[datetime, int]) -> str:
    return f"{cursor[0].isoformat()}_{cursor[1]}"


@dataclass
class QueueRows:
    """One page of the queue; what Django's Page offers the template, without a full count."""

    object_list: list[Intake]
    number: int
    num_pages: int | None
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


@dataclass
class _Key:
    """What the head needs to know of a candidate, read in one query."""

    pk: int
    submitted_at: datetime
    held_start: datetime | None
    open_question: bool
    needs_review: bool

    def sort_key(self) -> tuple:
        # The queue's order: review due first; then held times soonest first; then, among
        # those due, the longest waiting, and among the others the newest; then the newest id.
        held = self.held_start.timestamp() if self.held_start else 0.0
        sent = self.submitted_at.timestamp()
        return (not self.needs_review, self.held_start is None, held, sent if self.needs_review else -sent, -self.pk)


@dataclass
class _Head:
    keys: list[_Key] = field(default_factory=list)
    total: int | None = None
    zone: str | None = None


# --- filters ----------------------------------------------------------------------


def _submitted() -> QuerySet[Intake]:
    return Intake.objects.filter(status=Intake.Status.SUBMITTED)


def _apply_filters(qs: QuerySet[Intake], filters: QueueFilters) -> QuerySet[Intake]:
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


def _candidate_ids() -> QuerySet:
    """Intakes that may be in the head: review outcomes, held times, open questions (each found by index)."""
    return (
        _submitted().filter(outcome=Outcome.REVIEW).order_by().values("pk")
        .union(Booking.objects.filter(status=BookingStatus.HELD).order_by().values("intake_id"))
        .union(
            PatientQuestion.objects.filter(answered_at__isnull=True, closed_at__isnull=True)
            .order_by().values("intake_id")
        )
    )


def _capped_total(filtered: QuerySet[Intake]) -> Case:
    """How many intakes match, or COUNT_CAP + 1 when more do.

    The first branch reads COUNT_CAP + 1 index entries; the count (the other
    branch) runs only when it found fewer. Both are bounded by the cap, in
    fact and in the planner's estimate (an unbounded count, even one never
    run, could push a query's estimated cost past PostgreSQL's JIT threshold).
    """
    more = Exists(filtered.order_by().values("pk")[COUNT_CAP:COUNT_CAP + 1])
    some = filtered.order_by().values("pk")[: COUNT_CAP + 1]
    count = Subquery(
        Intake.objects.filter(pk__in=some).order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField())).values("n")[:1]
    )
    return Case(When(more, then=Value(COUNT_CAP + 1)), default=count, output_field=IntegerField())


def _read_head(filtered: QuerySet[Intake]) -> _Head:
    rows = (
        filtered.filter(pk__in=_candidate_ids())
        .annotate(**review_annotations("pk"))
        .annotate(decided=decided_annotation(), total=_capped_total(filtered), zone=clinic_time_zone_column())
        .order_by()
        .values_list("pk", "submitted_at", "outcome", "held_start", "open_question", "decided", "total", "zone")
    )
    head = _Head()
    for pk, submitted_at, outcome, held_start, open_question, decided, total, zone in rows:
        head.total, head.zone = total, zone
        head.keys.append(_Key(pk, submitted_at, held_start, open_question,
                              needs_review(outcome=outcome, held_start=held_start, decided=decided,
                                           open_question=open_question)))
    head.keys.sort(key=_Key.sort_key)
    return head


# --- rows ---------------------------------------------------------------------------


def _rows(qs: QuerySet[Intake]) -> QuerySet[Intake]:
    """Intakes as the queue shows them: review facts, the active booking and the latest flags, in one query."""
    active = Booking.objects.filter(intake_id=OuterRef("pk"), status__in=ACTIVE_BOOKING_STATUSES).order_by("start")
    return (
        qs.select_related("treatment")
        .defer("answers")
        .annotate(**review_annotations("pk"))
        .annotate(
            decided=decided_annotation(),
            booking_start=Subquery(active.values("start")[:1]),
            booking_status=Subquery(active.values("status")[:1]),
            flag_rows=json_rows(Flag.objects.filter(screening_id=OuterRef("latest_screening_id")),
                                group_by="screening_id", id="id", rule_code="rule_code", rule_name="rule_name"),
        )
    )


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


def _dress(intakes: Iterable[Intake]) -> list[Intake]:
    dressed = []
    for intake in intakes:
        intake.needs_review = needs_review(outcome=intake.outcome, held_start=intake.held_start,
                                           decided=intake.decided, open_question=intake.open_question)
        intake.state = review_state(intake)
        flags = sorted(rows_of(intake.flag_rows), key=lambda row: row["id"])
        intake.flags = [FlagBadge(row["rule_code"], row["rule_name"]) for row in flags]
        intake.booking = BookingBadge(intake.booking_start, intake.booking_status) if intake.booking_start else None
        dressed.append(intake)
    return dressed


def _by_pk(filtered: QuerySet[Intake], pks: list[int]) -> list[Intake]:
    if not pks:
        return []
    found = {intake.pk: intake for intake in _rows(filtered.filter(pk__in=pks))}
    return [found[pk] for pk in pks if pk in found]


def _tail(filtered: QuerySet[Intake], head_pks: list[int]) -> QuerySet[Intake]:
    qs = filtered.exclude(pk__in=head_pks) if head_pks else filtered
    return _rows(qs).annotate(total=_capped_total(filtered), zone=clinic_time_zone_column())


def _after(cursor: tuple[datetime, int]) -> Q:
    # The first condition alone bounds the index scan; the second breaks ties.
    moment, pk = cursor
    return Q(submitted_at__lte=moment) & (Q(submitted_at__lt=moment) | Q(pk__lt=pk))


def _before(cursor: tuple[datetime, int]) -> Q:
    moment, pk = cursor
    return Q(submitted_at__gte=moment) & (Q(submitted_at__gt=moment) | Q(pk__gt=pk))


def _key_of(intake: Intake) -> tuple[datetime, int]:
    return (intake.submitted_at, intake.pk)


# --- the page ------------------------------------------------------------------------


def queue_page(*, filters: QueueFilters, position: QueuePosition | None = None,
               page_number: str | int | None = None) -> QueuePage:
    """One page of the queue and its counts, in three queries at most (keys, head rows, tail rows)."""
    if position is None:
        position = QueuePosition.from_params({"page": page_number})
    filtered = _apply_filters(_submitted(), filters)
    head = _read_head(filtered)
    counts = {
        "total": 0,
        "needs_review": sum(k.needs_review for k in head.keys),
        "waiting": sum(k.open_question for k in head.keys),
        "held": sum(k.held_start is not None for k in head.keys),
    }
    if filters.state in (ReviewState.NEEDS_REVIEW, ReviewState.WAITING):
        rows, total = _listed_page(filtered, head, filters.state, position.page), head.total
        if total is None:  # nothing to review: the total did not come along with any key
            total = filtered.order_by().values("pk")[: COUNT_CAP + 1].count()
    else:
        rows, total = _queue_rows(filtered, head, position)
    total = total or 0
    capped = total > COUNT_CAP
    counts["total"] = min(total, COUNT_CAP)
    if rows.num_pages is None and not capped:
        rows.num_pages = max(1, math.ceil(total / PAGE_SIZE))
    # The zone came along with the keys or the tail rows; with no row at all, no time is shown.
    zone = head.zone or next((getattr(i, "zone", None) for i in rows.object_list if getattr(i, "zone", None)), None)
    return QueuePage(page=rows, counts=counts, filters=filters, total_capped=capped, count_cap=COUNT_CAP,
                     zone=ZoneInfo(zone) if zone else default_zone())


def _listed_page(filtered: QuerySet[Intake], head: _Head, state: str, number: int) -> QueueRows:
    """A state view (needs review, or waiting): a short list, all of it among the head's keys."""
    if state == ReviewState.NEEDS_REVIEW:
        listed = [k.pk for k in head.keys if k.needs_review]
    else:
        listed = [k.pk for k in head.keys if k.open_question]
    pages = max(1, math.ceil(len(listed) / PAGE_SIZE))
    number = min(number, pages)
    start = (number - 1) * PAGE_SIZE
    rows = QueueRows(_dress(_by_pk(filtered, listed[start:start + PAGE_SIZE])), number, pages)
    rows.previous = QueuePosition(page=number - 1) if number > 1 else None
    rows.next = QueuePosition(page=number + 1) if number < pages else None
    return rows


def _queue_rows(filtered: QuerySet[Intake], head: _Head, position: QueuePosition) -> tuple[QueueRows, int | None]:
    """The whole queue: head then tail. Returns the page and the (capped) total."""
    head_pks = [k.pk for k in head.keys if k.needs_review or k.held_start is not None]
    total = head.total
    if position.after or position.before:
        cursor_page = _cursor_page(filtered, head_pks, position)
        if cursor_page is not None:
            rows, tail_total = cursor_page
            return rows, total if total is not None else tail_total
        position = QueuePosition(page=position.page)

    start = (position.page - 1) * PAGE_SIZE
    end = start + PAGE_SIZE
    intakes = _by_pk(filtered, head_pks[start:end])
    tail: list[Intake] = []
    more = end < len(head_pks)
    tail_known_empty = total is not None and total <= len(head_pks)
    if end >= len(head_pks) and not tail_known_empty:
        skip = max(0, start - len(head_pks))
        wanted = end - max(start, len(head_pks))
        tail = list(_tail(filtered, head_pks).order_by("-submitted_at", "-pk")[skip:skip + wanted + 1])
        if tail:
            total = tail[0].total
        more = len(tail) > wanted
        tail = tail[:wanted]
    rows = QueueRows(_dress(intakes + tail), position.page, None)
    rows.previous = QueuePosition(page=position.page - 1) if position.page > 1 else None
    if more:
        rows.next = (QueuePosition(page=position.page + 1, after=_key_of(tail[-1])) if tail
                     else QueuePosition(page=position.page + 1))
    return rows, total


def _cursor_page(filtered: QuerySet[Intake], head_pks: list[int],
                 position: QueuePosition) -> tuple[QueueRows, int | None] | None:
    """A page of the tail next to a cursor; None when going back reaches the head (use page numbers)."""
    tail = _tail(filtered, head_pks)
    if position.after:
        found = list(tail.filter(_after(position.after)).order_by("-submitted_at", "-pk")[:PAGE_SIZE + 1])
        more_after, more_before = len(found) > PAGE_SIZE, True
        found = found[:PAGE_SIZE]
    else:
        found = list(tail.filter(_before(position.before)).order_by("submitted_at", "pk")[:PAGE_SIZE + 1])
        if len(found) <= PAGE_SIZE and head_pks:
            return None  # the page before reaches into the head
        more_before, more_after = len(found) > PAGE_SIZE, True
        found = list(reversed(found[:PAGE_SIZE]))
    if not found:
        return None
    rows = QueueRows(_dress(found), position.page, None)
    if more_after:
        rows.next = QueuePosition(page=position.page + 1, after=_key_of(found[-1]))
    if more_before or head_pks:
        rows.previous = QueuePosition(page=max(1, position.page - 1), before=_key_of(found[0]))
    return rows, found[0].total


def rule_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} · {name}") for code, name in Rule.objects.order_by("code").values_list("code", "name")]


def default_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)
