"""The demo calendar, and a demo patient's whole way from intake to a confirmed booking."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus, Practitioner, ScheduleException, WeeklyHours
from screening.booking.selectors import calendars
from screening.booking.slots import day_slots
from screening.core.clinic import clinic_zone
from screening.core.models import Treatment
from screening.setup.demo import seed_calendar
from tests.booking.conftest import today
from tests.intake.helpers import complete

pytestmark = pytest.mark.django_db


def test_seed_calendar_gives_two_practitioners_two_weeks_of_hours_and_is_idempotent():
    out = StringIO()
    seed_calendar(stdout=out)
    seed_calendar()
    assert Practitioner.objects.count() == 2
    assert WeeklyHours.objects.count() == 11  # Mon-Fri for both, Saturday morning for one
    assert "Practitioner" in out.getvalue()
    face = Treatment.objects.get(code="face")
    tz = clinic_zone()
    now = timezone.now()
    for offset in range(1, 15):
        day = today() + timedelta(days=offset)
        open_people = [c for c in calendars(face, first_day=day, last_day=day, tz=tz, now=now)
                       if day_slots(c, day, tz=tz, duration=timedelta(hours=1), not_before=now)]
        expected = {0: 2, 1: 2, 2: 2, 3: 2, 4: 2, 5: 1, 6: 0}[day.weekday()]
        assert len(open_people) == expected, day


def test_seed_calendar_leaves_the_clinics_own_changes_alone():
    seed_calendar()
    practitioner = Practitioner.objects.first()
    ScheduleException.objects.create(practitioner=practitioner, date=today(), kind="closed")
    practitioner.active = False
    practitioner.save()
    seed_calendar()
    practitioner.refresh_from_db()
    assert not practitioner.active
    assert ScheduleException.objects.count() == 1


def test_a_demo_patient_goes_from_intake_to_a_confirmed_booking(client, settings):
    seed_calendar()
    intake = complete(client, "face")
    assert intake.outcome == "eligible"
    outcome_page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert reverse("booking:book", args=[intake.public_id]) in outcome_page
    picker = client.get(reverse("booking:book", args=[intake.public_id]))
    first = picker.context["days"][0].slots[0]
    mail.outbox.clear()
    response = client.post(reverse("booking:book", args=[intake.public_id]), {"slot": first.value})
    assert response.status_code == 302
    booking = Booking.objects.get(intake=intake)
    assert booking.status == BookingStatus.CONFIRMED and booking.start == first.start
    assert any(m.attachments for m in mail.outbox)


def test_the_demo_names_its_location_by_its_street_not_after_the_deployment(settings):
    from screening.core.models import Location
    from screening.setup.demo import DEMO_LOCATION

    first = Location.objects.order_by("order", "pk").first()
    if first is None:
        first = Location.objects.create(name=settings.CLINIC_NAME[:100])
    else:
        Location.objects.filter(pk=first.pk).update(name=settings.CLINIC_NAME[:100])  # as the migration named it
    seed_calendar()
    first.refresh_from_db()
    assert first.name == DEMO_LOCATION == "Example Street" and first.address.startswith("12 Example Street")
    Location.objects.filter(pk=first.pk).update(name="Islington")  # an admin's own name is kept
    seed_calendar()
    first.refresh_from_db()
    assert first.name == "Islington"
