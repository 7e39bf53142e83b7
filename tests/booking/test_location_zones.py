"""Issue 17: a location in its own time zone (the clinic in London, a location in New York).

Its opening hours, its practitioners' hours, its days, notice and furthest day are read in New York;
bookings stay in UTC. March 2027 has both zones' DST changes two weeks apart: New York moves on
14 March, London on 28 March, so New York is five hours behind London before the 14th, four after.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from screening.booking.errors import BookingError
from screening.booking.ics import booking_ics
from screening.booking.models import Practitioner, WeeklyHours
from screening.booking.selectors import free_days_for
from screening.booking.services import booking_create
from screening.core.clinic import booking_zone, location_zone
from screening.core.models import Location, LocationHours, Treatment
from tests.booking.conftest import any_value, client_for
from tests.conftest import run_pending_on_commit

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
# Wednesday 10 March 2027, 12:00 UTC: 07:00 in New York (EST, UTC-5), 12:00 in London (GMT).
WEDNESDAY_NOON = datetime(2027, 3, 10, 12, tzinfo=UTC)


def new_york_time(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=NEW_YORK).astimezone(UTC)


@pytest.fixture
def new_york(calendar) -> Location:
    """A second location, open 09:00-12:00 New York time every day; Nina works there 08:00-18:00 (New York)."""
    face = Treatment.objects.get(code="face")
    place = Location.objects.create(name="Fifth Avenue", address="1 Fifth Avenue\nNew York", time_zone="America/New_York")
    place.treatments.add(face)
    LocationHours.objects.bulk_create(LocationHours(location=place, weekday=d, start=time(9), end=time(12))
                                      for d in range(7))
    nina = Practitioner.objects.create(name="Nina York", location=place)
    nina.treatments.add(face)
    WeeklyHours.objects.bulk_create(WeeklyHours(practitioner=nina, weekday=d, start=time(8), end=time(18))
                                    for d in range(7))
    return place


def local_starts(days, day: date) -> list[str]:
    return [f"{s.start.astimezone(NEW_YORK):%H:%M}" for d in days if d.date == day for s in d.slots]


def test_the_one_helper_reads_a_location_and_its_bookings_in_its_zone(new_york):
    nina = Practitioner.objects.get(name="Nina York")
    assert location_zone(new_york) == NEW_YORK
    assert location_zone(None) == LONDON  # no location: the clinic's
    assert booking_zone(type("B", (), {"practitioner": nina})()) == NEW_YORK


@pytest.mark.parametrize("page_zone", [NEW_YORK, LONDON], ids=["the location's page", "a page in the clinic's zone"])
def test_slots_come_from_the_locations_own_hours_in_its_zone_across_new_yorks_dst_change(make_intake, new_york,
                                                                                         page_zone):
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        days = free_days_for(make_intake(), tz=page_zone, now=WEDNESDAY_NOON, location_id=new_york.pk)
    before, after = date(2027, 3, 12), date(2027, 3, 15)  # a Friday in EST, a Monday in EDT
    for day in (before, after):
        assert local_starts(days, day) == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    # The same wall-clock hours are an hour apart in UTC, and in London, across the change.
    first = {d.date: d.slots[0].start for d in days}
    assert first[before] == datetime(2027, 3, 12, 14, tzinfo=UTC)
    assert first[after] == datetime(2027, 3, 15, 13, tzinfo=UTC)
    assert f"{first[before].astimezone(LONDON):%H:%M}" == "14:00" and f"{first[after].astimezone(LONDON):%H:%M}" == "13:00"


def test_minimum_notice_is_a_duration_from_now_whatever_the_zone(make_intake, new_york):
    Treatment.objects.filter(code="face").update(min_notice_hours=27)  # now + 27 h: Thursday 10:00 in New York
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        intake = make_intake()
        days = free_days_for(intake, tz=location_zone(new_york), now=WEDNESDAY_NOON, location_id=new_york.pk)
        assert local_starts(days, date(2027, 3, 10)) == []  # today's hours are all inside the notice
        assert local_starts(days, date(2027, 3, 11)) == ["10:00", "10:30", "11:00"]
        with pytest.raises(BookingError) as refused:
            booking_create(intake=intake, practitioner_id=None, start=new_york_time(date(2027, 3, 11), 9, 30),
                           location_id=new_york.pk)
        assert refused.value.code == "invalid_slot"
        booked = booking_create(intake=intake, practitioner_id=None, start=new_york_time(date(2027, 3, 11), 10),
                                location_id=new_york.pk)
    assert booked.practitioner.name == "Nina York"


def test_the_furthest_day_counts_days_in_the_locations_zone(make_intake, new_york):
    Treatment.objects.filter(code="face").update(max_days_ahead=3)
    # Thursday 02:00 in London is still Wednesday 21:00 in New York: New York's first day is Wednesday.
    now = datetime(2027, 3, 11, 2, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        intake = make_intake()
        days = free_days_for(intake, tz=location_zone(new_york), now=now, location_id=new_york.pk)
        assert [d.date for d in days] == [date(2027, 3, 11), date(2027, 3, 12), date(2027, 3, 13)]
        with pytest.raises(BookingError) as refused:  # the 14th is four days after New York's today
            booking_create(intake=intake, practitioner_id=None, start=new_york_time(date(2027, 3, 14), 9),
                           location_id=new_york.pk)
        assert refused.value.code == "invalid_slot"
        assert booking_create(intake=intake, practitioner_id=None, start=new_york_time(date(2027, 3, 13), 11),
                              location_id=new_york.pk)


def test_the_picker_offers_the_locations_times_in_its_zone_and_says_so(make_intake, new_york):
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        intake = make_intake()
        page = client_for(intake).get(reverse("booking:book", args=[intake.public_id]),
                                      {"location": new_york.pk, "day": "2027-03-15"})
    assert page.status_code == 200 and page.context["tz"] == NEW_YORK
    html = page.content.decode()
    assert "Times are America/New_York time." in html
    assert any_value(new_york_time(date(2027, 3, 15), 9)) in html  # 09:00 New York = 13:00 UTC after the change
    shown = [part for part in html.split('<span class="slot-time">')[1:]]
    assert [part[:5] for part in shown] == ["09:00", "09:30", "10:00", "10:30", "11:00"]
    assert [label for label, _times in page.context["parts"]] == ["Morning"]


def test_the_confirmation_email_the_page_and_the_ics_name_the_locations_time_and_zone(
        make_intake, new_york, django_capture_on_commit_callbacks):
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        intake = make_intake()
        booking = booking_create(intake=intake, practitioner_id=None, start=new_york_time(date(2027, 3, 15), 9),
                                 location_id=new_york.pk)
        run_pending_on_commit()
        page = client_for(intake).get(reverse("booking:booking", args=[intake.public_id]))
    message = mail.outbox[-1]
    assert "09:00 to 10:00 (America/New_York time)" in message.body
    assert "1 Fifth Avenue" in message.body
    assert "09:00" in message.subject
    [(_name, data, _mimetype)] = message.attachments
    ics = data if isinstance(data, bytes) else data.encode()
    assert b"DTSTART;TZID=America/New_York:20270315T090000" in ics
    assert [tz["TZID"] for tz in Calendar.from_ical(ics).walk("VTIMEZONE")] == ["America/New_York"]
    # The booking's zone by default.
    assert booking_ics(booking, now=WEDNESDAY_NOON) == booking_ics(booking, tz=NEW_YORK, now=WEDNESDAY_NOON)
    html = page.content.decode()
    assert "09:00 to 10:00" in html and "America/New_York time" in html


def test_an_email_naming_a_time_in_passing_names_the_zone_only_when_it_is_not_the_clinics():
    from django.utils import translation

    from screening.booking.emails import when_named

    start = datetime(2027, 3, 15, 13, tzinfo=UTC)
    assert when_named(start, start + timedelta(hours=1), LONDON, clinic=LONDON).endswith("13:00 to 14:00")
    assert when_named(start, start + timedelta(hours=1), NEW_YORK, clinic=LONDON).endswith(
        "09:00 to 10:00 (America/New_York time)")
    with translation.override("es"):
        assert when_named(start, start + timedelta(hours=1), NEW_YORK, clinic=LONDON).endswith(
            "(hora de America/New_York)")


def test_the_rule_preview_tries_a_booking_on_its_day_where_it_is(make_intake, new_york):
    from screening.booking.models import Booking, BookingStatus
    from screening.setup.selectors import booking_items

    start = new_york_time(date(2027, 3, 10), 21)  # Wednesday evening in New York: Thursday 02:00 in London
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        intake = make_intake()
    booking = Booking.objects.create(intake=intake, practitioner=Practitioner.objects.get(name="Nina York"),
                                     treatment=intake.treatment, start=start, end=start + timedelta(hours=1),
                                     status=BookingStatus.CONFIRMED, patient_email=intake.email)
    [(pk, _treatment, _answers, day)] = booking_items(now=WEDNESDAY_NOON)
    assert (pk, day) == (booking.pk, date(2027, 3, 10))


def _contact_block(html: str) -> str:
    return html.split('id="clinic-contact"', 1)[1].split("</section>", 1)[0]


def test_a_page_naming_the_locations_address_does_not_add_the_clinics_under_how_to_reach_us(make_intake, new_york):
    """The picker and the booking page of a place with its own address show that one address: where to come."""
    from screening.core.models import ClinicSettings

    ClinicSettings.objects.update_or_create(pk=1, defaults={"phone": "020 7946 0123",
                                                            "address": "12 Example Street\nLondon N1 9XX"})
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        intake = make_intake()
        picker = client_for(intake).get(reverse("booking:book", args=[intake.public_id]), {"location": new_york.pk})
        booking_create(intake=intake, practitioner_id=None, start=new_york_time(date(2027, 3, 15), 9),
                       location_id=new_york.pk)
        page = client_for(intake).get(reverse("booking:booking", args=[intake.public_id]))
    for html in (picker.content.decode(), page.content.decode()):
        assert "1 Fifth Avenue" in html
        assert "020 7946 0123" in _contact_block(html)
        assert "12 Example Street" not in html


def test_a_place_with_no_address_of_its_own_leaves_the_clinics_address_in_how_to_reach_us(make_intake, new_york):
    from screening.core.models import ClinicSettings

    ClinicSettings.objects.update_or_create(pk=1, defaults={"address": "12 Example Street\nLondon N1 9XX"})
    new_york.address = ""
    new_york.save()
    with time_machine.travel(WEDNESDAY_NOON, tick=False):
        intake = make_intake()
        picker = client_for(intake).get(reverse("booking:book", args=[intake.public_id]), {"location": new_york.pk})
    assert "12 Example Street" in _contact_block(picker.content.decode())
