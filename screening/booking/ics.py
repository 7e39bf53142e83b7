"""The calendar file (.ics) attached to booking emails, as calendar apps expect it (RFC 5546).

One appointment keeps one UID for its whole life, moves included (the
replacement booking copies ``calendar_uid``), and every change raises
``SEQUENCE``, so a calendar updates its event instead of adding a second
one. New and moved appointments go as ``METHOD:REQUEST``; a cancellation as
``METHOD:CANCEL``, which removes the event.

Times are written in the booking's location's time zone (``booking_zone``)
with its VTIMEZONE, so a calendar app shows the same wall-clock time the
location does. The event
names the treatment, the clinic, its address and the practitioner; nothing
about the patient's health.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from screening.booking.models import Booking, BookingStatus
from screening.booking.selectors import booking_contact
from screening.core.clinic import ClinicContact, booking_zone
from screening.core.wordings import treatment_words

REQUEST, CANCEL = "REQUEST", "CANCEL"


def booking_uid(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "clinic.invalid"
    return f"{booking.calendar_uid}@{host}"


def booking_ics(booking: Booking, *, tz: ZoneInfo | None = None, manage_url: str = "", now: datetime | None = None,
                method: str = REQUEST) -> bytes:
    clinic = booking_contact(booking)  # the address: the practitioner's location's, else the clinic's
    tz = tz or booking_zone(booking)
    calendar = Calendar()
    calendar.add("prodid", f"-//{clinic.name}//Clinic Screening//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", (now or datetime.now(UTC)).astimezone(UTC))
    event.add("dtstart", booking.start.astimezone(tz))
    event.add("dtend", booking.end.astimezone(tz))
    event.add("summary", _("%(treatment)s at %(clinic)s") % {"treatment": treatment_words(booking.treatment).name,
                                                              "clinic": clinic.name})
    if clinic.address:
        event.add("location", clinic.address_line)
    event.add("organizer", _address(clinic.replies_to or parseaddr(settings.DEFAULT_FROM_EMAIL)[1], clinic.name))
    if booking.patient_email:
        event.add("attendee", _address(booking.patient_email, "", role="REQ-PARTICIPANT"))
    event.add("description", _description(booking, clinic, manage_url if method == REQUEST else ""))
    event.add("status", _status(booking, method))
    calendar.add_component(event)

    # Only the transitions around the appointment, not fifty years of them.
    day = booking.start.astimezone(tz).date()
    calendar.add_missing_timezones(first_date=day - timedelta(days=366), last_date=day + timedelta(days=366))
    return calendar.to_ical()


def _description(booking: Booking, clinic: ClinicContact, manage_url: str) -> str:
    """With whom, how to reach the clinic (only what its profile has), and the link to change it."""
    lines = [_("With %(practitioner)s.") % {"practitioner": booking.practitioner.name}, clinic.name]
    if clinic.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": clinic.phone})
    if clinic.email:
        lines.append(_("Email: %(email)s") % {"email": clinic.email})
    if manage_url:
        lines.append(_("To cancel or move this appointment: %(url)s") % {"url": manage_url})
    return "\n".join(lines)


def _status(booking: Booking, method: str) -> str:
    if method == CANCEL:
        return "CANCELLED"
    return "CONFIRMED" if booking.status == BookingStatus.CONFIRMED else "TENTATIVE"


def _address(email: str, name: str, *, role: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email or 'no-reply@clinic.invalid'}")
    if name:
        address.params["cn"] = vText(name)
    if role:
        address.params["role"] = vText(role)
    return address
