"""The staff bookings list is paged (a busy week is hundreds of rows), the location filter kept across pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.core.models import Location, Treatment
from screening.review.booking_list import BOOKINGS_PAGE_SIZE
from tests.staff.conftest import bulk_intakes, staff_client

pytestmark = pytest.mark.django_db

COUNT = 2 * BOOKINGS_PAGE_SIZE + 30


@pytest.fixture
def busy_week(personas):
    """COUNT confirmed bookings over the next three days with five practitioners, three of them at North Street."""
    north = Location.objects.create(name="North Street")
    people = [Practitioner.objects.create(name=f"Practitioner {n}", location=north if n < 3 else None)
              for n in range(5)]
    for person in people:
        person.treatments.set(Treatment.objects.all())
    intakes = bulk_intakes(COUNT, practitioner=people[0], prefix="week", held_every=10**6)
    Booking.objects.filter(intake__in=intakes).delete()
    first = (timezone.now() + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    Booking.objects.bulk_create([
        Booking(intake=intake, practitioner=people[n % 5], treatment=intake.treatment, status=BookingStatus.CONFIRMED,
                start=first + timedelta(minutes=30 * (n // 5)), end=first + timedelta(minutes=30 * (n // 5) + 25),
                patient_email=intake.email)
        for n, intake in enumerate(intakes)
    ])
    return personas, north


def _ids(response) -> list[int]:
    return [b.pk for b in response.context["bookings"]]


def test_the_bookings_list_shows_a_page_at_a_time_and_every_booking_once(busy_week):
    personas, _north = busy_week
    client = staff_client(personas.front_desk)
    first = client.get(reverse("staff:bookings"))
    assert len(_ids(first)) == BOOKINGS_PAGE_SIZE
    text = first.content.decode()
    assert f"Page 1 of 3 (1–{BOOKINGS_PAGE_SIZE} of {COUNT + 1} bookings)" in text  # and Ada's held time
    assert 'href="?page=2"' in text and "Previous" not in text
    pages = [first] + [client.get(reverse("staff:bookings"), {"page": n}) for n in (2, 3)]
    seen = [pk for page in pages for pk in _ids(page)]
    assert len(seen) == len(set(seen)) == COUNT + 1
    starts = [(b.start, b.practitioner.name, b.pk) for page in pages for b in page.context["bookings"]]
    assert starts == sorted(starts)  # soonest first, across the pages
    assert len(_ids(pages[2])) == COUNT + 1 - 2 * BOOKINGS_PAGE_SIZE
    assert 'href="?page=2">Previous' in pages[2].content.decode()


def test_the_page_links_keep_the_location_and_page_its_bookings_only(busy_week):
    personas, north = busy_week
    client = staff_client(personas.front_desk)
    first = client.get(reverse("staff:bookings"), {"location": north.pk})
    at_north = Booking.objects.filter(practitioner__location=north).count()
    assert at_north > BOOKINGS_PAGE_SIZE
    assert f'href="?location={north.pk}&amp;page=2"' in first.content.decode()
    second = client.get(reverse("staff:bookings"), {"location": north.pk, "page": 2})
    ids = _ids(first) + _ids(second)
    assert len(set(ids)) == at_north
    assert set(Booking.objects.filter(pk__in=ids).values_list("practitioner__location", flat=True)) == {north.pk}


def test_a_page_that_is_not_one_shows_a_page_never_an_error(busy_week):
    """As Django's ``Paginator.get_page`` answers: not a number, the first page; out of range, the last."""
    personas, _north = busy_week
    client = staff_client(personas.front_desk)
    for value, number in (("x", 1), ("0", 3), ("-3", 3), ("999", 3), ("9" * 40, 3), ("", 1), ("2", 2)):
        response = client.get(reverse("staff:bookings"), {"page": value})
        assert response.status_code == 200 and response.context["page"].number == number, value


def test_a_quiet_week_has_no_page_links(personas):
    response = staff_client(personas.front_desk).get(reverse("staff:bookings"))
    assert response.status_code == 200 and _ids(response) == [personas.booking_a.pk]
    assert 'aria-label="Booking pages"' not in response.content.decode()
