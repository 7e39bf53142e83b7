"""The calendar file (.ics) attached to a confirmation email.

Times are written in the clinic's time zone with its VTIMEZONE, so a
calendar app shows the same wall-clock time the clinic does, even for a
patient's phone set to another zone. It names the clinic and the
practitioner, never the treatment or anything about the patient's health.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from screening.booking.models import Booking, BookingStatus


def booking_uid(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    return f"booking-{booking.pk}@{host}"


def booking_ics(booking: Booking, *, tz: ZoneInfo, manage_url: str = "", now: datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Clinic Screening//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")

    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", booking.start.astimezone(tz))
    event.add("dtend", booking.end.astimezone(tz))
    event.add("summary", f"Appointment at {settings.CLINIC_NAME}")
    description = f"With {booking.practitioner.name}."
    if manage_url:
        description += f"\nTo cancel or move this appointment: {manage_url}"
    event.add("description", description)
    event.add("status", "CONFIRMED" if booking.status == BookingStatus.CONFIRMED else "TENTATIVE")
    calendar.add_component(event)

    # Only the transitions around the appointment, not fifty years of them.
    day = booking.start.astimezone(tz).date()
    calendar.add_missing_timezones(first_date=day - timedelta(days=366), last_date=day + timedelta(days=366))
    return calendar.to_ical()
