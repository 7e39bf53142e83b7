"""The staff queue filters by location when the clinic has several (issue 17), as the day view and the
bookings list do: an intake is at the location of its booking (a booking is at its practitioner's)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.core.models import Location, Treatment
from screening.review.queue import PAGE_SIZE
from tests.staff.conftest import bulk_intakes, make_intake, staff_client

pytestmark = pytest.mark.django_db


def _names(response) -> list[str]:
    return [i.first_name for i in response.context["result"].page.object_list]


@pytest.fixture
def two_places(personas):
    """The clinic's own location (Anna Baker works there) and North Street (Ben Carter)."""
    main = Location.objects.order_by("order", "pk").first() or Location.objects.create(name="Main")
    personas.practitioner.location = main
    personas.practitioner.save(update_fields=["location"])
    north = Location.objects.create(name="North Street", address="1 North Street")
    ben = Practitioner.objects.create(name="Ben Carter", location=north)
    ben.treatments.set(Treatment.objects.all())
    return personas, main, north, ben


def test_with_one_location_the_queue_offers_no_location_filter_and_ignores_one_asked_for(personas):
    client = staff_client(personas.front_desk)
    response = client.get(reverse("staff:queue"))
    assert 'name="location"' not in response.content.decode()
    only = Location.objects.get()
    # The one location itself: applied, it would hide Bo (no booking anywhere).
    asked = client.get(reverse("staff:queue"), {"location": only.pk})
    assert asked.status_code == 200 and sorted(_names(asked)) == ["Ada", "Bo"]


def test_the_queue_shows_the_intakes_booked_at_the_chosen_location(two_places):
    personas, main, north, ben = two_places
    north_intakes = bulk_intakes(3, practitioner=ben, prefix="north", held_every=1)
    gone = make_intake(email="gil@example.com", first_name="Gil")
    Booking.objects.create(intake=gone, practitioner=ben, treatment=gone.treatment, status=BookingStatus.CANCELLED,
                           start=north_intakes[0].bookings.get().start.replace(year=2030),
                           end=north_intakes[0].bookings.get().end.replace(year=2030))
    client = staff_client(personas.clinician)
    page = client.get(reverse("staff:queue"))
    assert 'name="location"' in page.content.decode() and "North Street" in page.content.decode()
    at_north = client.get(reverse("staff:queue"), {"location": north.pk})
    # A cancelled booking places nobody; an intake with no booking is under "every location" only.
    assert sorted(_names(at_north)) == ["North0", "North1", "North2"]
    assert at_north.context["result"].counts["total"] == 3
    at_main = client.get(reverse("staff:queue"), {"location": main.pk})
    assert _names(at_main) == ["Ada"]  # Ada holds a time with Anna Baker; Bo has no booking
    everyone = client.get(reverse("staff:queue"), {"location": ""})
    assert {"Ada", "Bo", "Gil", "North0"} <= set(_names(everyone))


def test_next_and_previous_keep_the_location_and_walk_its_intakes_once(two_places):
    personas, main, north, ben = two_places
    bulk_intakes(2 * PAGE_SIZE + 10, practitioner=ben, prefix="north", held_every=2)  # half of them booked there
    bulk_intakes(10, practitioner=personas.practitioner, prefix="main", held_every=1)
    client = staff_client(personas.front_desk)
    response = client.get(reverse("staff:queue"), {"location": north.pk, "state": "review"})
    pages = [response]
    while response.context["result"].page.has_next():
        query = response.context["result"].page.next_query
        assert f"location={north.pk}" in query and "state=review" in query
        response = client.get(reverse("staff:queue") + query)
        pages.append(response)
    names = [name for page in pages for name in _names(page)]
    assert len(pages) == 2
    expected = {f"North{n}" for n in range(2 * PAGE_SIZE + 10) if n % 2 == 0}
    assert len(names) == len(set(names)) and set(names) == expected


def test_a_long_location_queue_pages_by_keyset_with_the_filter_kept(two_places):
    personas, main, north, ben = two_places
    bulk_intakes(PAGE_SIZE + 7, practitioner=ben, prefix="north", held_every=1)
    bulk_intakes(12, practitioner=personas.practitioner, prefix="main", held_every=1)
    client = staff_client(personas.front_desk)
    first = client.get(reverse("staff:queue"), {"location": north.pk})
    assert len(_names(first)) == PAGE_SIZE and all(n.startswith("North") for n in _names(first))
    second = client.get(reverse("staff:queue") + first.context["result"].page.next_query)
    assert len(_names(second)) == 7 and all(n.startswith("North") for n in _names(second))
    assert not set(_names(first)) & set(_names(second))
    back = client.get(reverse("staff:queue") + second.context["result"].page.previous_query)
    assert _names(back) == _names(first)


def test_a_location_that_is_not_one_is_refused_kindly_and_the_queue_shows_everyone(two_places):
    personas, main, north, ben = two_places
    client = staff_client(personas.front_desk)
    inactive = Location.objects.create(name="Closed", active=False)
    for value in ("x", "999999", "-1", "1" * 30, str(inactive.pk)):
        response = client.get(reverse("staff:queue"), {"location": value})
        assert response.status_code == 200
        assert sorted(_names(response)) == ["Ada", "Bo"]
        assert response.context["form"].errors.get("location") == [
            "That is not in this list (any more): choose again from it. The filter was left out."]
        assert "That is not in this list" in response.content.decode()
