"""The staff queue: a filter, an order and a keyset page of the submitted intakes.

The order: the intakes that need review (``Intake.review_state``) first,
those holding a time by how soon the appointment is, then the longest
waiting (``BACKLOG_ORDER``); after them every other intake, newest first
(``REST_ORDER``, the order of the index ``intake_submitted_recent``, so a
page of a million intakes reads 26 rows of the index, never sorts them all).
``screening.core.keyset`` pages the two parts as one list (Next and Previous
continue from the row last shown). The total is counted up to ``COUNT_CAP``
("more than 1,000").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
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
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from screening.booking.models import ACTIVE_BOOKING_STATUSES, SESSION_STATUSES, Booking, BookingStatus
from screening.core.clinic import clinic_time_zone_column, clinic_zone, today_in, zone_note
from screening.core.keyset import Keyset, Part, Position, Rows
from screening.core.models import Location
from screening.intake.models import Flag, Intake, PatientQuestion, ReviewState, Screening
from screening.intake.selectors import answer_screenings
from screening.questionnaire.models import Rule
from screening.review.json_rows import json_rows, rows_of
from screening.review.models import IntakeDecision

COUNT_CAP = 1000

# Each part's order, "-" for descending. In the backlog ``no_hold`` puts held times first, by start.
BACKLOG_ORDER = ("no_hold", "held_start", "submitted_at", "pk")
REST_ORDER = ("-submitted_at", "-pk")
PAGES = Keyset(salt="screening.review.queue.cursor", datetime_fields=frozenset({"held_start", "submitted_at"}))
PAGE_SIZE = PAGES.page_size
# Where a page of the queue starts, and the page read (the names the views and tests know).
QueuePosition, QueueRows = Position, Rows

SHORT_STATUS = {BookingStatus.HELD: "held", BookingStatus.CONFIRMED: "confirmed"}
SEVERITY_ORDER = {"block": 0, "review": 1, "defer": 2, "info": 3}


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""  # a ReviewState value; "" for all
    outcome: str = ""
    rule: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str = ""
    mine: int | None = None  # a clinician's user id: the intakes they decided or asked about
    location: int | None = None  # a Location's id: the intakes with a booking there (issue 17)


@dataclass
class QueuePage:
    page: Rows
    counts: dict[str, int]
    filters: QueueFilters
    total_capped: bool = False
    count_cap: int = COUNT_CAP
    zone: ZoneInfo | None = None


def queue_page(*, filters: QueueFilters, position: Position | None = None,
               page_number: str | int | None = None) -> QueuePage:
    """One page of the queue: the counts, the rows, the capped total (three queries; a date filter adds one)."""
    position = position or PAGES.position({"page": page_number})
    filtered = _filtered(filters)
    counts = _counts(filtered)
    page = PAGES.read(_parts(filtered, backlog_size=counts["needs_review"]), position, dress=_dress)
    total = filtered.order_by().values("pk")[: COUNT_CAP + 1].count()
    counts["total"] = min(total, COUNT_CAP)
    if total <= COUNT_CAP:
        page.num_pages = max(1, math.ceil(total / PAGE_SIZE))
    zone = next((intake.zone for intake in page.object_list if intake.zone), None)
    return QueuePage(page=page, counts=counts, filters=filters, total_capped=total > COUNT_CAP,
                     count_cap=COUNT_CAP, zone=ZoneInfo(zone) if zone else default_zone())


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The rule filter's choices (code, name) and the active locations (id, name), in one read.

    Both are short lists the queue's form needs on every page; read together (a UNION of the two
    tables, each row saying which it is), the location filter costs the page no query of its own.
    """
    rules = Rule.objects.order_by().values_list(Value("rule", output_field=CharField()), "code", "name", Value(0))
    places = Location.objects.filter(active=True).order_by().values_list(
        Value("location", output_field=CharField()), Cast("pk", CharField()), "name", "order")
    rules_found, places_found = [], []
    for kind, key, name, order in rules.union(places, all=True):
        if kind == "rule":
            rules_found.append((name, key))
        else:
            places_found.append((order, name, int(key)))
    return ([(code, name) for name, code in sorted(rules_found)],
            [(pk, name) for _order, name, pk in sorted(places_found)])


def default_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


# --- the filter, the counts, the order ---------------------------------------------------


def _filtered(filters: QueueFilters) -> QuerySet[Intake]:
    qs = Intake.objects.filter(status=Intake.Status.SUBMITTED)
    if filters.state:
        qs = qs.filter(review_state=filters.state)
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.rule:
        qs = qs.filter(Exists(Flag.objects.filter(screening_id=Subquery(_latest_screening(OuterRef(OuterRef("pk")))),
                                                  rule_code=filters.rule)))
    if filters.mine:
        qs = qs.filter(Exists(IntakeDecision.objects.filter(intake_id=OuterRef("pk"), decided_by_id=filters.mine)))
    if filters.location:
        # An intake's location is its booking's (a booking is at its practitioner's location): the model
        # records no other. A cancelled, released, expired or moved booking no longer places it anywhere.
        qs = qs.filter(Exists(Booking.objects.filter(
            intake_id=OuterRef("pk"), practitioner__location_id=filters.location,
            status__in=[*ACTIVE_BOOKING_STATUSES, *SESSION_STATUSES])))
    if filters.submitted_from or filters.submitted_to:
        tz = clinic_zone()  # a query, only when a date is asked for
        if filters.submitted_from:
            qs = qs.filter(submitted_at__gte=datetime.combine(filters.submitted_from, time(0), tzinfo=tz))
        if filters.submitted_to:
            qs = qs.filter(submitted_at__lt=datetime.combine(filters.submitted_to + timedelta(days=1), time(0),
                                                             tzinfo=tz))
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


def _latest_screening(intake_ref) -> QuerySet[Screening]:
    """The id of the intake's latest screening of its answers (a booking's date re-check is not one)."""
    return answer_screenings(intake_ref).values("id")[:1]


def _parts(filtered: QuerySet[Intake], *, backlog_size: int) -> list[Part]:
    """The two parts of the queue, each with what a row shows (one query a page, two where they meet)."""
    rows = _rows(filtered)
    backlog = Q(review_state=ReviewState.NEEDS_REVIEW)
    held_start = Case(When(active_booking__status=BookingStatus.HELD, then=F("active_booking__start")),
                      default=Value(None), output_field=DateTimeField())
    return [
        Part(rows.filter(backlog).annotate(held_start=held_start).annotate(
            no_hold=Case(When(held_start__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField())),
             order=BACKLOG_ORDER, size=backlog_size),
        Part(rows.exclude(backlog), order=REST_ORDER),
    ]


def _rows(filtered: QuerySet[Intake]) -> QuerySet[Intake]:
    """The filtered intakes with what a row shows: the active booking, the latest screening's flags, the age."""
    # An intake has one active (held or confirmed) booking at most (booking_one_active_per_intake): joined.
    return (
        filtered.annotate(active_booking=FilteredRelation(
            "bookings", condition=Q(bookings__status__in=ACTIVE_BOOKING_STATUSES)))
        .select_related("treatment", "assisted_by")
        .defer("answers")
        .annotate(
            latest_screening_id=Subquery(_latest_screening(OuterRef("pk"))),
            booking_start=F("active_booking__start"),
            booking_status=F("active_booking__status"),
            # Its time is read in its location's zone, as the patient was told it (issue 17).
            booking_zone=F("active_booking__practitioner__location__time_zone"),
            hold_expires_at=F("active_booking__hold_expires_at"),
            birth_date=KT("answers__date_of_birth"),
            # The patient answered the clinic's latest question (the intake then needs review again).
            replied_at=Subquery(PatientQuestion.objects.filter(intake_id=OuterRef("pk"))
                                .order_by("-asked_at", "-id").values("answered_at")[:1]),
            zone=clinic_time_zone_column(),
        )
        .annotate(
            # "recheck": the patient's check before a visit raised what the clinician is to look at.
            latest_reason=Subquery(Screening.objects.filter(pk=OuterRef("latest_screening_id")).values("reason")[:1]),
            flag_rows=json_rows(Flag.objects.filter(screening_id=OuterRef("latest_screening_id")),
                                group_by="screening_id", id="id", rule_code="rule_code",
                                rule_name="rule_name", severity="severity"))
    )


# --- what a row shows ----------------------------------------------------------------------


def _dress(shown: list[Intake]) -> None:
    now = timezone.now()
    today = today_in(next((intake.zone for intake in shown), None), now)
    for intake in shown:
        _dress_row(intake, today, now)


def _dress_row(intake: Intake, today: date, now: datetime) -> None:
    """What the row shows: the flags in words, worst first; the patient's age."""
    intake.flags = sorted(rows_of(intake.flag_rows), key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["id"]))
    intake.booking_status_label = SHORT_STATUS.get(intake.booking_status, "")
    # A held time's hours left (rounded up): the clinicians' deadline at a glance.
    held = intake.booking_status == BookingStatus.HELD and intake.hold_expires_at
    intake.hold_hours_left = max(0, math.ceil((intake.hold_expires_at - now) / timedelta(hours=1))) if held else None
    intake.age = age_on(intake.birth_date, today)
    page_zone = intake.zone or settings.CLINIC_TIME_ZONE
    intake.booking_zone = intake.booking_zone or page_zone
    intake.booking_zone_note = zone_note(ZoneInfo(intake.booking_zone), ZoneInfo(page_zone))


def age_on(birth: str | None, today: date) -> int | None:
    """The patient's age in whole years on ``today``, from the date of birth they gave (ISO text); None if none."""
    try:
        born = date.fromisoformat(birth or "")
    except (TypeError, ValueError):
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
