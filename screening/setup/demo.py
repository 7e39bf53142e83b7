"""Demo calendar for `make run`: two practitioners with weekly hours."""

from __future__ import annotations

from datetime import time
from typing import TextIO

from django.conf import settings
from django.db import transaction

from screening.booking.models import Practitioner, Weekday, WeeklyHours
from screening.core.models import ClinicSettings, Location, Treatment

WEEKDAYS = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY]
# The demo clinic's one location, named as patients choosing between locations would read it.
DEMO_LOCATION = "Example Street"
DEMO_PRACTITIONERS = [
    # name, extra Saturday morning
    ("Dr Maya Okafor", True),
    ("Sam Lindqvist", False),
]


@transaction.atomic
def seed_calendar(stdout: TextIO | None = None) -> None:
    """Create the demo practitioners and their hours; running it again changes nothing.

    The hours are a weekly pattern, so every coming week (the next two
    included) has them. Rows the clinic already has are left alone, but for
    the first location's name: one the migration named after the deployment
    (``CLINIC_NAME``, or "The clinic") is renamed by its street, "Example Street".
    """
    profile, _ = ClinicSettings.objects.get_or_create(pk=1, defaults={
        "time_zone": settings.CLINIC_TIME_ZONE,
        # A made-up clinic: its address, a drama-reserved number (Ofcom's 020 7946 0xxx) and an address at a
        # reserved domain (RFC 2606), for patients' pages, emails and calendar files.
        "name": "Example Skin Clinic", "address": "12 Example Street\nLondon N1 9XX", "phone": "020 7946 0123",
        "email": "hello@clinic.example", "reply_to": "bookings@clinic.example",
        "cancellation_text": "Please give us at least 24 hours' notice if you need to cancel or move your "
                             "appointment, so that someone else can have the time.",
    })
    treatments = list(Treatment.objects.filter(active=True))
    # One location (the migration's, on an existing install): a second one is the clinic admin's to add.
    location = Location.objects.order_by("order", "pk").first() or Location.objects.create(
        name=DEMO_LOCATION, time_zone=profile.time_zone)
    # The migration named the first location after settings.CLINIC_NAME (the deployment's name, not a
    # place): the demo names it by its street, as a patient choosing between locations would read it.
    if location.name in (settings.CLINIC_NAME[:100], "The clinic"):
        location.name = DEMO_LOCATION
    if not location.address:
        location.address = profile.address
    location.save(update_fields=["name", "address"])
    location.treatments.add(*treatments)
    for name, saturday in DEMO_PRACTITIONERS:
        practitioner, created = Practitioner.objects.get_or_create(name=name, defaults={"location": location})
        practitioner.treatments.add(*treatments)
        hours = [(day, time(9), time(17)) for day in WEEKDAYS]
        if saturday:
            hours.append((Weekday.SATURDAY, time(9), time(13)))
        for weekday, start, end in hours:
            WeeklyHours.objects.get_or_create(practitioner=practitioner, weekday=weekday, start=start, end=end)
        if stdout is not None:
            state = "added" if created else "already there"
            stdout.write(f"Practitioner {name}: {state}, hours Mon-Fri 09:00-17:00"
                         + (", Sat 09:00-13:00" if saturday else ""))
