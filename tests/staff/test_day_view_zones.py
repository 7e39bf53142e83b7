"""Issue 17: staff pages show a booking's time in its location's zone, and name it where zones mix.

The clinic is in London; "Fifth Avenue" is in New York. At 02:00 on Thursday 11 March 2027 in London
it is still Wednesday 21:00 in New York.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.core.models import ClinicSettings, Location, Treatment
from tests.staff.conftest import make_intake, staff_client

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2027, 3, 11, 2, tzinfo=UTC)
# Thursday 11 March, 09:00 in New York (EST): 14:00 in London.
THURSDAY_NINE_NEW_YORK = datetime(2027, 3, 11, 9, tzinfo=NEW_YORK).astimezone(UTC)


@pytest.fixture
def in_new_york(personas):
    ClinicSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Europe/London"})
    place = Location.objects.create(name="Fifth Avenue", time_zone="America/New_York")
    nina = Practitioner.objects.create(name="Nina York", location=place)
    nina.treatments.set(Treatment.objects.all())
    with time_machine.travel(NOW, tick=False):
        intake = make_intake(email="ny@example.com", first_name="Nia", last_name="Park")
    Booking.objects.create(intake=intake, practitioner=nina, treatment=intake.treatment, start=THURSDAY_NINE_NEW_YORK,
                           end=THURSDAY_NINE_NEW_YORK + timedelta(hours=1), status=BookingStatus.CONFIRMED,
                           patient_email=intake.email)
    return personas, place


def test_the_day_view_for_one_location_reads_its_days_and_times_in_its_zone(in_new_york):
    personas, place = in_new_york
    with time_machine.travel(NOW, tick=False):
        page = staff_client(personas.front_desk).get(reverse("staff:day"), {"location": place.pk})
    # New York's today is still Wednesday: the page is Wednesday and Thursday, the time 09:00, no zone to name.
    assert [day.isoformat() for day, _ in page.context["sheet"].days] == ["2027-03-10", "2027-03-11"]
    html = page.content.decode()
    assert "Wednesday 10 March 2027" in html and "09:00–10:00 · " in html
    assert "America/New_York time" not in html


def test_the_day_view_over_every_location_is_the_clinics_day_and_names_another_zone(in_new_york):
    personas, _place = in_new_york
    with time_machine.travel(NOW, tick=False):
        page = staff_client(personas.front_desk).get(reverse("staff:day"))
    assert [day.isoformat() for day, _ in page.context["sheet"].days] == ["2027-03-11", "2027-03-12"]
    html = page.content.decode()
    assert "09:00–10:00 (America/New_York time) · " in html
    assert "14:00" not in html  # never the London wall-clock time of a New York appointment


def test_the_bookings_list_and_the_intake_page_show_the_locations_time_and_name_its_zone(in_new_york):
    personas, _place = in_new_york
    with time_machine.travel(NOW, tick=False):
        listed = staff_client(personas.front_desk).get(reverse("staff:bookings")).content.decode()
        booking = Booking.objects.get(practitioner__name="Nina York")
        detail = staff_client(personas.clinician).get(
            reverse("staff:intake", args=[booking.intake.public_id])).content.decode()
    assert "09:00–10:00" in listed and "(America/New_York time)" in listed
    assert "Thu 11 Mar 2027 09:00</strong> (America/New_York time)" in detail


def test_the_queue_reads_a_booking_at_another_zones_location_in_that_zone_and_names_it(in_new_york):
    personas, _place = in_new_york
    with time_machine.travel(NOW, tick=False):
        html = staff_client(personas.front_desk).get(reverse("staff:queue")).content.decode()
    row = html[html.index("Nia Park"):]
    row = row[:row.index("</tr>")]
    assert 'Thu 11 Mar 09:00 <span class="queue-zone">(America/New_York time)</span> · confirmed' in row
    assert "14:00" not in row  # not the London wall-clock time the patient was never told


def test_the_queue_names_no_zone_for_a_booking_in_the_clinics_own(personas):
    html = staff_client(personas.front_desk).get(reverse("staff:queue")).content.decode()
    row = html[html.index("Ada Lovelace"):]
    row = row[:row.index("</tr>")]
    assert " · held" in row and " time)" not in row


def test_the_patient_timeline_shows_a_session_elsewhere_in_its_zone_and_names_it(in_new_york):
    personas, _place = in_new_york
    booking = Booking.objects.get(practitioner__name="Nina York")
    with time_machine.travel(NOW, tick=False):
        html = staff_client(personas.clinician).get(
            reverse("staff:patient", args=[booking.intake.patient_id])).content.decode()
    assert "Appointment Thursday 11 Mar 2027 09:00 (America/New_York time)." in html
    assert "11 Mar 2027 14:00" not in html  # never London's wall-clock time of the New York session
