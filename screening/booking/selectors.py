"""Reads for booking: the clinic's time zone, calendars, free times, policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus, Practitioner, ScheduleException, WeeklyHours
from screening.booking.slots import Day, PractitionerCalendar, free_days
from screening.core.clinic import clinic_profile
from screening.core.models import Treatment
from screening.intake.models import Intake
from screening.questionnaire.models import Outcome

# How far ahead of the first day they may book a patient may book.
BOOKING_HORIZON_DAYS = 90
# How many days the slot picker shows at once.
PICKER_DAYS = 14

BOOKABLE_OUTCOMES = (Outcome.ELIGIBLE, Outcome.DEFERRED, Outcome.REVIEW)


def active_bookings(now: datetime) -> Q:
    """Bookings that keep their time: confirmed, or held with a hold still running."""
    return Q(status=BookingStatus.CONFIRMED) | Q(status=BookingStatus.HELD, hold_expires_at__gt=now)


def active_booking_for(intake: Intake, *, now: datetime | None = None) -> Booking | None:
    """The intake's booking that keeps its time (a hold past its expiry does not)."""
    return (
        intake.bookings.filter(active_bookings(now or timezone.now()))
        .select_related("practitioner", "treatment")
        .first()
    )


@dataclass(frozen=True)
class HoldPolicy:
    """How a held time protects the appointment (the clinic's settings)."""

    notice: timedelta  # a hold needs at least this long before the appointment
    ends_before: timedelta  # and is released this long before it, if nobody decided
    alert_before: timedelta  # clinicians are told this long before it is released (zero: never)

    def expires_at(self, *, start: datetime, now: datetime) -> datetime:
        """When a hold taken now for ``start`` ends: after the usual hours, and never after ``start - ends_before``."""
        return min(now + timedelta(hours=settings.BOOKING_HOLD_HOURS), start - self.ends_before)


def hold_policy() -> HoldPolicy:
    profile = clinic_profile()
    return HoldPolicy(notice=timedelta(hours=profile.hold_min_notice_hours),
                      ends_before=timedelta(hours=profile.hold_ends_before_hours),
                      alert_before=timedelta(hours=profile.hold_alert_hours))


def intake_refusal(intake: Intake, *, now: datetime) -> str | None:
    """Why this intake may not book now (an error code), or None when it may."""
    if not intake.is_submitted:
        return "not_submitted"
    if intake.outcome == Outcome.NOT_SUITABLE:
        return "not_suitable"
    if intake.outcome not in BOOKABLE_OUTCOMES:
        return "incomplete"
    max_age = timedelta(days=settings.BOOKING_INTAKE_MAX_AGE_DAYS)
    if intake.submitted_at is None or intake.submitted_at < now - max_age:
        return "stale"
    return None


def earliest_day(intake: Intake, *, tz: ZoneInfo, now: datetime) -> date:
    """The first day the intake may book: today (clinic time) or its eligible-from date."""
    today = now.astimezone(tz).date()
    if intake.eligible_from and intake.eligible_from > today:
        return intake.eligible_from
    return today


def not_before(day: date, *, tz: ZoneInfo, now: datetime) -> datetime:
    """The first moment a slot on or after ``day`` may start: never in the past."""
    return max(now, datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC))


def calendars(
    treatment: Treatment,
    *,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    now: datetime,
    practitioner_id: int | None = None,
    ignore_booking_id: int | None = None,
) -> list[PractitionerCalendar]:
    """Plain calendars of the active practitioners who do ``treatment``.

    ``ignore_booking_id`` leaves one booking out of the busy times: a moving
    booking must not stand in its own way.
    """
    practitioners = Practitioner.objects.filter(active=True, treatments=treatment)
    if practitioner_id is not None:
        practitioners = practitioners.filter(pk=practitioner_id)
    practitioners = list(practitioners.order_by("name", "pk"))
    ids = [p.pk for p in practitioners]
    # A day in clinic time can start the evening before in UTC: widen by a day.
    range_start = datetime.combine(first_day - timedelta(days=1), time(0), tzinfo=UTC)
    range_end = datetime.combine(last_day + timedelta(days=2), time(0), tzinfo=UTC)

    weekly: dict[int, dict[int, list]] = {pk: {} for pk in ids}
    for row in WeeklyHours.objects.filter(practitioner_id__in=ids):
        weekly[row.practitioner_id].setdefault(row.weekday, []).append((row.start, row.end))
    closed: dict[int, set[date]] = {pk: set() for pk in ids}
    extra: dict[int, dict[date, list]] = {pk: {} for pk in ids}
    for row in ScheduleException.objects.filter(
        practitioner_id__in=ids, date__gte=first_day, date__lte=last_day
    ):
        if row.kind == ScheduleException.Kind.CLOSED:
            closed[row.practitioner_id].add(row.date)
        elif row.start and row.end:
            extra[row.practitioner_id].setdefault(row.date, []).append((row.start, row.end))
    busy: dict[int, list] = {pk: [] for pk in ids}
    bookings = Booking.objects.filter(
        active_bookings(now), practitioner_id__in=ids, start__lt=range_end, end__gt=range_start
    )
    if ignore_booking_id is not None:
        bookings = bookings.exclude(pk=ignore_booking_id)
    for practitioner_pk, start, end in bookings.values_list("practitioner_id", "start", "end"):
        busy[practitioner_pk].append((start, end))

    return [
        PractitionerCalendar(
            practitioner_id=p.pk,
            name=p.name,
            weekly=weekly[p.pk],
            closed=frozenset(closed[p.pk]),
            extra=extra[p.pk],
            busy=tuple(busy[p.pk]),
        )
        for p in practitioners
    ]


def free_days_for(
    intake: Intake,
    *,
    tz: ZoneInfo,
    now: datetime,
    start_day: date | None = None,
    days: int = PICKER_DAYS,
    ignore_booking_id: int | None = None,
) -> list[Day]:
    """Free times for the intake's treatment, by day, from its earliest day on.

    An intake waiting for review will hold its time: only times beyond the hold's minimum notice are offered.
    """
    earliest = earliest_day(intake, tz=tz, now=now)
    first = max(earliest, start_day or earliest)
    last = min(first + timedelta(days=days - 1), horizon_day(earliest))
    if last < first:
        return []
    return free_days(
        calendars(intake.treatment, first_day=first, last_day=last, tz=tz, now=now,
                  ignore_booking_id=ignore_booking_id),
        tz=tz,
        first_day=first,
        last_day=last,
        duration=timedelta(minutes=intake.treatment.duration_minutes),
        not_before=max(not_before(first, tz=tz, now=now), hold_floor(intake, now=now)),
    )


def hold_floor(intake: Intake, *, now: datetime) -> datetime:
    """The first moment the intake's time may start when it will be held (review), else ``now``."""
    return now + hold_policy().notice if intake.outcome == Outcome.REVIEW else now


def horizon_day(earliest: date) -> date:
    """The last day a patient whose first bookable day is ``earliest`` may book."""
    return earliest + timedelta(days=BOOKING_HORIZON_DAYS)
