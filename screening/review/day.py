"""The day view: today's and tomorrow's appointments of a practitioner, as the treatment room reads them.

Each appointment comes with its patient's screening state, the flags of the
latest screening of their answers (in words), the instructions the clearing
clinician left for the patient, and the clinicians' notes; printed, one page
per patient (templates/review/day.html). A fixed number of queries, whatever
the number of appointments.

Each time is in its booking's location's zone, named when it is not the
page's zone (a page over several locations may mix zones).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform

from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking, Practitioner
from screening.core.clinic import booking_zone, clinic_zone, location_zone, zone_note
from screening.core.models import Location
from screening.intake.models import Flag
from screening.intake.selectors import answer_screenings
from screening.review.booking_list import location_filter
from screening.review.models import IntakeDecision
from screening.review.queue import SEVERITY_ORDER, age_on

DAYS = 2  # today and tomorrow


@dataclass
class DayAppointment:
    booking: Booking
    age: int | None
    flags: list[Flag] = field(default_factory=list)
    notes: list[IntakeDecision] = field(default_factory=list)


@dataclass
class DaySheet:
    days: list[tuple[date, list[DayAppointment]]]
    practitioners: list[Practitioner]
    practitioner: Practitioner | None
    # The clinic's locations, offered as a filter when there are several (issue 17).
    locations: list[Location] = field(default_factory=list)
    location: Location | None = None
    zone: ZoneInfo | None = None  # the zone of the page's days: the location's when filtered to one, else the clinic's

    @property
    def intake_ids(self) -> list[int]:
        return [a.booking.intake_id for _, appointments in self.days for a in appointments]


def day_sheet(*, now: datetime, practitioner_id: int | None = None, location_id: int | None = None) -> DaySheet:
    clinic = clinic_zone()
    locations, place = location_filter(location_id)
    # "Today" is the location's when the page is for one location, the clinic's otherwise (the page may
    # then mix zones: each time is in its own location's zone, and named when that is not this one).
    tz = location_zone(place, default=clinic)
    today = now.astimezone(tz).date()
    practitioners = Practitioner.objects.filter(active=True).order_by("name", "pk")
    practitioners = list(practitioners.filter(location=place) if place else practitioners)
    chosen = next((p for p in practitioners if p.pk == practitioner_id), None)
    latest = answer_screenings(OuterRef("intake_id")).values("id")[:1]
    bookings = (
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES,
                               start__gte=datetime.combine(today, time(0), tzinfo=tz),
                               start__lt=datetime.combine(today + timedelta(days=DAYS), time(0), tzinfo=tz))
        .select_related("intake", "practitioner__location", "treatment")
        .defer("intake__answers")
        .annotate(latest_screening_id=Subquery(latest), birth_date=KeyTextTransform("date_of_birth", "intake__answers"))
        .order_by("start", "practitioner__name", "pk")
    )
    if chosen is not None:
        bookings = bookings.filter(practitioner=chosen)
    elif place is not None:
        bookings = bookings.filter(practitioner__location=place)
    bookings = list(bookings)
    flags: dict[int, list[Flag]] = defaultdict(list)
    for flag in Flag.objects.filter(screening_id__in=[b.latest_screening_id for b in bookings]):
        flags[flag.screening_id].append(flag)
    notes: dict[int, list[IntakeDecision]] = defaultdict(list)
    for decision in (IntakeDecision.objects.filter(intake_id__in=[b.intake_id for b in bookings])
                     .select_related("decided_by").order_by("decided_at", "pk")):
        notes[decision.intake_id].append(decision)
    by_day: dict[date, list[DayAppointment]] = {today + timedelta(days=n): [] for n in range(DAYS)}
    for booking in bookings:
        booking.zone = booking_zone(booking, default=clinic)
        booking.zone_note = zone_note(booking.zone, tz)
        booking.local_start = booking.start.astimezone(booking.zone)
        booking.local_end = booking.end.astimezone(booking.zone)
        found = sorted(flags[booking.latest_screening_id], key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.pk))
        by_day[booking.start.astimezone(tz).date()].append(DayAppointment(
            booking, age_on(booking.birth_date, today), found, notes[booking.intake_id]))
    return DaySheet(days=list(by_day.items()), practitioners=practitioners, practitioner=chosen,
                    locations=locations, location=place, zone=tz)
