"""Reads for booking: the clinic's time zone, calendars, free times, policy."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus, Practitioner, ScheduleException, WeeklyHours
from screening.booking.slots import Day, PractitionerCalendar, free_days
from screening.core.clinic import ClinicContact, clinic_contact, clinic_profile, location_zone
from screening.core.models import ClinicSettings, Location, LocationHours, Treatment
from screening.intake.models import Intake
from screening.questionnaire.models import Outcome

# How far ahead of the first day they may book a patient may book (a treatment's own "furthest bookable day"
# replaces it; this is its default).
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
        .select_related("practitioner__location", "treatment")
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
    """The first day the intake may book: today (in ``tz``, the location's) or its eligible-from date."""
    today = now.astimezone(tz).date()
    if intake.eligible_from and intake.eligible_from > today:
        return intake.eligible_from
    return today


def not_before(day: date, *, tz: ZoneInfo, now: datetime, treatment: Treatment | None = None) -> datetime:
    """The first moment a slot on or after ``day`` may start: never in the past, nor inside the treatment's notice."""
    notice = timedelta(hours=treatment.min_notice_hours) if treatment is not None else timedelta(0)
    return max(now + notice, datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC))


def bookable_locations(treatment: Treatment) -> list[Location]:
    """The active locations a patient may pick for ``treatment``; empty when the clinic has one location.

    With one active location there is nothing to choose (and its practitioners are all there, or were
    made before locations were): the question is skipped and no practitioner is left out.
    """
    active = list(Location.objects.filter(active=True))
    if len(active) <= 1:
        return []
    return [loc for loc in Location.objects.filter(active=True, treatments=treatment)]


def booking_contact(booking: Booking, profile: ClinicSettings | None = None) -> ClinicContact:
    """How the patient reaches the clinic about this booking: its profile, with the address of the location."""
    profile = profile or clinic_profile()
    location = booking.practitioner.location
    contact = clinic_contact(profile)
    if location is not None and location.address.strip():
        contact = dataclasses.replace(contact, address=location.address.strip())
    return contact


def booking_address(booking: Booking) -> str:
    """Where the appointment is: its practitioner's location's address, else the clinic's."""
    location = booking.practitioner.location
    if location is not None and location.address.strip():
        return location.address.strip()
    return clinic_profile().address.strip()


def bookable_practitioners(treatment: Treatment, *, location_id: int | None = None) -> list[Practitioner]:
    """The active practitioners who do ``treatment`` (at that location), in the order "any" tries them."""
    practitioners = Practitioner.objects.filter(active=True, treatments=treatment).select_related("location")
    if location_id is not None:
        practitioners = practitioners.filter(location_id=location_id, location__treatments=treatment)
    return list(practitioners.order_by("pk"))


def place_zone(location: Location | None, practitioners: list[Practitioner]) -> ZoneInfo:
    """The zone a picker (or a booking being placed) reads days and times in: the location's.

    No location chosen (the clinic has one): the zone of the one location its practitioners work at,
    else the clinic's.
    """
    if location is None:
        places = {p.location_id: p.location for p in practitioners}
        location = next(iter(places.values())) if len(places) == 1 else None
    return location_zone(location)


def placing_zone(treatment: Treatment, *, practitioner_id: int | None, location_id: int | None) -> ZoneInfo:
    """The zone a posted time is read in: the chosen practitioner's location's, else the chosen location's,
    else (neither) that of the practitioners who do the treatment, as the picker read it."""
    if practitioner_id is not None:
        practitioner = Practitioner.objects.select_related("location").filter(pk=practitioner_id).first()
        if practitioner is not None:
            return location_zone(practitioner.location)
    location = Location.objects.filter(pk=location_id).first() if location_id is not None else None
    return place_zone(location, [] if location else bookable_practitioners(treatment, location_id=None))


def calendars(
    treatment: Treatment,
    *,
    first_day: date,
    last_day: date,
    tz: ZoneInfo,
    now: datetime,
    practitioner_id: int | None = None,
    ignore_booking_id: int | None = None,
    location_id: int | None = None,
) -> list[PractitionerCalendar]:
    """Plain calendars of the active practitioners who do ``treatment`` (at ``location_id``, if given).

    ``ignore_booking_id`` leaves one booking out of the busy times: a moving
    booking must not stand in its own way. A booking is busy until its end
    plus its treatment's buffer; a practitioner's hours are cut to their
    location's, when it sets some.
    """
    practitioners = Practitioner.objects.filter(active=True, treatments=treatment)
    if location_id is not None:
        practitioners = practitioners.filter(location_id=location_id, location__treatments=treatment)
    if practitioner_id is not None:
        practitioners = practitioners.filter(pk=practitioner_id)
    practitioners = list(practitioners.select_related("location").order_by("name", "pk"))
    ids = [p.pk for p in practitioners]
    # A day in a location's time can start the evening before in UTC: widen by a day.
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
    for practitioner_pk, start, end, buffer in bookings.values_list(
            "practitioner_id", "start", "end", "treatment__buffer_minutes"):
        busy[practitioner_pk].append((start, end + timedelta(minutes=buffer)))
    location_weekly: dict[int, dict[int, list]] = {}
    for row in LocationHours.objects.filter(location_id__in={p.location_id for p in practitioners}):
        location_weekly.setdefault(row.location_id, {}).setdefault(row.weekday, []).append((row.start, row.end))

    return [
        PractitionerCalendar(
            practitioner_id=p.pk,
            name=p.name,
            weekly=weekly[p.pk],
            closed=frozenset(closed[p.pk]),
            extra=extra[p.pk],
            busy=tuple(busy[p.pk]),
            location_weekly=location_weekly.get(p.location_id),
            tz=location_zone(p.location, default=tz),
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
    location_id: int | None = None,
    practitioner_id: int | None = None,
) -> list[Day]:
    """Free times for the intake's treatment, by day, from its earliest day on (at a location, with one person).

    An intake waiting for review will hold its time: only times beyond the hold's minimum notice are offered.
    The treatment's own notice, buffer and furthest bookable day apply.
    """
    treatment = intake.treatment
    earliest = earliest_day(intake, tz=tz, now=now)
    first = max(earliest, start_day or earliest)
    last = min(first + timedelta(days=days - 1), horizon_day(earliest, treatment))
    if last < first:
        return []
    return free_days(
        calendars(treatment, first_day=first, last_day=last, tz=tz, now=now,
                  ignore_booking_id=ignore_booking_id, location_id=location_id, practitioner_id=practitioner_id),
        tz=tz,
        first_day=first,
        last_day=last,
        duration=timedelta(minutes=treatment.duration_minutes),
        not_before=max(not_before(first, tz=tz, now=now, treatment=treatment), hold_floor(intake, now=now)),
        buffer=timedelta(minutes=treatment.buffer_minutes),
    )


def hold_floor(intake: Intake, *, now: datetime) -> datetime:
    """The first moment the intake's time may start when it will be held (review), else ``now``."""
    return now + hold_policy().notice if intake.outcome == Outcome.REVIEW else now


def horizon_day(earliest: date, treatment: Treatment | None = None) -> date:
    """The last day a patient whose first bookable day is ``earliest`` may book (the treatment's furthest day)."""
    days = treatment.max_days_ahead if treatment is not None else BOOKING_HORIZON_DAYS
    return earliest + timedelta(days=days)
