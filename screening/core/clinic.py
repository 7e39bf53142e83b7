"""Time zones and dates: times are stored in UTC; a location's hours and bookings are read in its zone.

``location_zone()`` and ``booking_zone()`` are the one place that decides which zone a
location's opening hours, slots and a booking's time are read in: the location's own, and
the clinic's for a practitioner (or a page) with no location. "Today" for the clinic as a
whole (``clinic_today()``) is the clinic's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Subquery
from django.utils import timezone

from screening.core.models import ClinicSettings, Location
from screening.core.wordings import clinic_texts


def clinic_zone() -> ZoneInfo:
    """The clinic's time zone: the admin's setting, else settings.CLINIC_TIME_ZONE."""
    name = ClinicSettings.objects.filter(pk=1).values_list("time_zone", flat=True).first()
    return ZoneInfo(name or settings.CLINIC_TIME_ZONE)


class _Placed(Protocol):
    """What ``booking_zone`` reads of a booking: its practitioner (whose ``location`` may be None)."""

    practitioner: object


def location_zone(location: Location | str | None, *, default: ZoneInfo | None = None) -> ZoneInfo:
    """The zone a location's opening hours, its practitioners' hours and its bookings are read in: its own.

    ``location`` may be the location or its zone's name read along a query. No location (a practitioner
    made before locations, a page for every location): ``default`` when the caller already read one,
    else the clinic's zone (a query).
    """
    name = location if isinstance(location, str) else getattr(location, "time_zone", "")
    if name:
        return ZoneInfo(name)
    return default or clinic_zone()


def booking_zone(booking: _Placed, *, default: ZoneInfo | None = None) -> ZoneInfo:
    """The zone a booking's time is shown in to the patient and staff: its practitioner's location's."""
    return location_zone(getattr(booking.practitioner, "location", None), default=default)


def zone_note(zone: ZoneInfo, page_zone: ZoneInfo) -> str:
    """The zone's name when it is not the one a page (or email) reads in already, else "" (nothing to say)."""
    return "" if str(zone) == str(page_zone) else str(zone)


def clinic_today(now: datetime | None = None) -> date:
    """Today's date in the clinic."""
    return (now or timezone.now()).astimezone(clinic_zone()).date()


def today_in(zone_name: str | None, now: datetime | None = None) -> date:
    """Today's date in the zone read along a query (``clinic_time_zone_column``): no query of its own."""
    return (now or timezone.now()).astimezone(ZoneInfo(zone_name or settings.CLINIC_TIME_ZONE)).date()


def clinic_time_zone_column() -> Subquery:
    """The clinic's time zone name as a column: it rides along a page's main query instead of costing one."""
    return Subquery(ClinicSettings.objects.filter(pk=1).values("time_zone")[:1])


def clinic_name_column() -> Subquery:
    """The clinic's name (its profile's) as a column, for a page that shows it and reads a row anyway."""
    return Subquery(ClinicSettings.objects.filter(pk=1).values("name")[:1])


def clinic_name(profile_name: str | None) -> str:
    """The clinic's name as patients read it: the profile's, else settings.CLINIC_NAME (never saved, or blank)."""
    return (profile_name or "").strip() or settings.CLINIC_NAME


def clinic_profile() -> ClinicSettings:
    """The clinic's settings row (unsaved defaults when the admin never saved one): address, phone, reminders."""
    return ClinicSettings.objects.filter(pk=1).first() or ClinicSettings(pk=1)


@dataclass(frozen=True)
class ClinicContact:
    """How a patient reaches the clinic, as every patient page, email and calendar file shows it.

    Any field may be empty (a clinic that never filled in its profile): the
    templates show only what is there, never "call us on ." with nothing.
    """

    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    reply_to: str = ""
    cancellation_text: str = ""

    @property
    def tel(self) -> str:
        """The phone number for a ``tel:`` link: digits and a leading +, nothing else ("" when none)."""
        digits = re.sub(r"[^\d+]", "", self.phone)
        return digits[:1] + digits[1:].replace("+", "") if digits else ""

    @property
    def address_line(self) -> str:
        """The address on one line (a calendar file's LOCATION, a text message)."""
        return ", ".join(line.strip() for line in self.address.splitlines() if line.strip())

    @property
    def reachable(self) -> bool:
        """Whether there is any way to reach the clinic beyond its name."""
        return bool(self.phone or self.email or self.address)

    @property
    def replies_to(self) -> str:
        """The Reply-To of emails to patients: the reply-to address, else the clinic's email ("" when neither)."""
        return self.reply_to or self.email


def clinic_contact(profile: ClinicSettings | None = None) -> ClinicContact:
    """The clinic's profile as patients see it: one query (the settings row; none when the caller read it
    as ``profile``), or the defaults when never saved; the cancellation policy in the active language (one
    query more for a language other than English)."""
    profile = profile or clinic_profile()
    return ClinicContact(
        name=clinic_name(profile.name),
        phone=(profile.phone or "").strip(),
        email=(profile.email or "").strip(),
        address=(profile.address or "").strip(),
        reply_to=(profile.reply_to or "").strip(),
        cancellation_text=clinic_texts(profile).cancellation_text,
    )


def contact_context(contact: ClinicContact | None = None) -> dict:
    """The clinic's contact details for an email's template: one helper for every email to a patient.

    ``clinic_name``, ``clinic_address``, ``clinic_phone`` and ``clinic_email`` (as the templates'
    ``booking/emails/_contact.txt`` reads them), and the whole profile as ``clinic``.
    """
    contact = contact or clinic_contact()
    return {"clinic": contact, "clinic_name": contact.name, "clinic_address": contact.address,
            "clinic_phone": contact.phone, "clinic_email": contact.email}
