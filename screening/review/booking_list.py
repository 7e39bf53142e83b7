"""The staff's list of bookings: the active bookings of the coming days, a page at a time, and the
location filter the staff pages offer when the clinic has more than one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Max

from screening.booking.models import ACTIVE_BOOKING_STATUSES, SESSION_STATUSES, Booking, BookingStatus
from screening.core.clinic import booking_zone, clinic_profile, clinic_zone, zone_note
from screening.core.models import Location
from screening.intake.models import Screening

UPCOMING_DAYS = 7
BOOKINGS_PAGE_SIZE = 100


def location_filter(location_id: int | None) -> tuple[list[Location], Location | None]:
    """The locations a staff page offers as a filter (none when the clinic has one), and the one chosen."""
    locations = list(Location.objects.filter(active=True).order_by("order", "name", "pk"))
    if len(locations) < 2:
        return [], None
    return locations, next((loc for loc in locations if loc.pk == location_id), None)


def bookings_upcoming(*, now: datetime, days: int = UPCOMING_DAYS, location_id: int | None = None,
                      page: str | int | None = 1) -> Page:
    """A page of the active bookings from the start of today (clinic time) for ``days`` days, soonest first.

    Each carries its intake, with the patient's screening outcome and review state. Today's
    sessions already marked done or missed stay in the list, with their mark; a confirmed
    appointment of today can be marked (``can_mark``). A busy week is hundreds of rows: the page
    holds ``BOOKINGS_PAGE_SIZE`` (a page number that is not one is the nearest page).
    """
    tz = clinic_zone()
    today = now.astimezone(tz).date()
    start = datetime.combine(today, time(0), tzinfo=tz)
    end = datetime.combine(today + timedelta(days=days), time(0), tzinfo=tz)
    upcoming = (
        Booking.objects.filter(status__in=[*ACTIVE_BOOKING_STATUSES, *SESSION_STATUSES], start__gte=start,
                               start__lt=end)
        .select_related("intake", "practitioner__location", "treatment")
        .defer("intake__answers")
        .order_by("start", "practitioner__name", "pk")  # the id: a page never shifts a tie onto the next
    )
    if location_id is not None:
        upcoming = upcoming.filter(practitioner__location_id=location_id)
    # Django's get_page: not a number is the first page, out of range (0, -3, 999) the last; never an error.
    shown = Paginator(upcoming, BOOKINGS_PAGE_SIZE).get_page(page)
    bookings = shown.object_list = list(shown.object_list)
    rechecked = _rechecked_at([b.intake_id for b in bookings if b.status == BookingStatus.CONFIRMED])
    profile = clinic_profile()
    for booking in bookings:
        booking.local_start = booking.start.astimezone(tz)
        booking.local_end = booking.end.astimezone(tz)
        # Its time is shown in its location's zone, named when that is not the clinic's (the list's days).
        booking.zone = booking_zone(booking, default=tz)
        booking.zone_note = zone_note(booking.zone, tz)
        booking.can_mark = booking.status == BookingStatus.CONFIRMED and booking.local_start.date() <= today
        booking.not_rechecked = _not_rechecked(booking, rechecked.get(booking.intake_id), profile, now)
    return shown


def _rechecked_at(intake_ids: list[int]) -> dict[int, datetime]:
    """When each intake's pre-visit check was last answered."""
    rows = (Screening.objects.filter(intake_id__in=intake_ids, reason=Screening.Reason.RECHECK)
            .values("intake_id").annotate(last=Max("created_at")).values_list("intake_id", "last"))
    return dict(rows)


def _not_rechecked(booking: Booking, last: datetime | None, profile, now: datetime) -> bool:
    """A confirmed appointment past the clinic's cut-off whose health check, sent before it, is unanswered.

    A booking made after the check would have gone was screened for its date then, and needs none.
    """
    if booking.status != BookingStatus.CONFIRMED:
        return False
    sent_at = booking.start - timedelta(hours=profile.recheck_hours)
    cutoff = booking.start - timedelta(hours=profile.recheck_cutoff_hours)
    return booking.created_at < sent_at and now >= cutoff and (last is None or last < sent_at)
