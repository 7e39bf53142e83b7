"""The staff pages read a fixed, small number of queries, whatever the data.

Speed itself is measured by `make bench` (it prints figures; tests never
assert timings). What a test can hold is the shape: at most ten queries for
the queue and for an intake, with a few intakes or a few hundred, every
kind of row on the page (flags, bookings, decisions, questions) included.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.audit.log import Actor
from screening.booking.models import Practitioner
from screening.core.models import Location, Treatment
from screening.intake.screenings import record_screening
from screening.review.services import intake_ask, intake_clear
from screening.rules import ScreeningResult
from tests.staff.conftest import REVIEW, bulk_intakes, latest_screening, make_intake, staff_client

# The worker's tasks (emails of the intakes made here) are not the page's queries.
pytestmark = [pytest.mark.django_db, pytest.mark.manual_tasks]

MAX_QUERIES = 10
# The queue also writes its audit line (issue 15: which intakes it showed), one INSERT; in the test its
# transaction is a savepoint (SAVEPOINT and RELEASE), in production the request's BEGIN and COMMIT.
QUEUE_QUERIES = MAX_QUERIES + 3


@pytest.fixture
def busy(personas):
    """A few hundred intakes: held times, a question waiting, a decided one, several screenings."""
    other = Practitioner.objects.create(name="Ben Carter")
    other.treatments.set(Treatment.objects.all())
    bulk_intakes(150, practitioner=other, prefix="many", held_every=5)
    waiting = make_intake(email="wes@example.com", first_name="Wes", answers=REVIEW)
    intake_ask(intake_id=waiting.pk, screening_id=latest_screening(waiting).pk,
               by=Actor(user=personas.clinician), question="Which medicine, and since when?")
    cleared = make_intake(email="cy@example.com", first_name="Cy", answers=REVIEW)
    intake_clear(intake_id=cleared.pk, screening_id=latest_screening(cleared).pk,
                 by=Actor(user=personas.clinician), note="Checked with their GP.")
    for _ in range(3):
        record_screening(personas.intake_a, ScreeningResult(outcome="review", eligible_from=None), reason="rescreen",
                         on_date=timezone.localdate(), answers=personas.intake_a.answers)
    return personas


def test_the_queue_runs_at_most_ten_queries(busy, django_assert_max_num_queries):
    client = staff_client(busy.front_desk)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert client.get(reverse("staff:queue")).status_code == 200


def test_every_page_and_filter_of_the_queue_runs_at_most_ten_queries(busy, django_assert_max_num_queries):
    client = staff_client(busy.clinician)
    week_ago = (timezone.now() - timedelta(days=7)).date().isoformat()
    for params in ({"page": 2}, {"page": 7}, {"state": "review"}, {"state": "waiting"},
                   {"outcome": "review", "rule": "BLEEDING_DISORDER", "submitted_from": week_ago},
                   {"q": "many1"}):
        with django_assert_max_num_queries(QUEUE_QUERIES):
            assert client.get(reverse("staff:queue"), params).status_code == 200


def test_the_queue_filtered_by_location_runs_at_most_ten_queries(busy, django_assert_max_num_queries):
    """With two locations the filter is offered (its choices read with the rule filter's) and costs nothing more."""
    north = Location.objects.create(name="North Street")
    Practitioner.objects.filter(name="Ben Carter").update(location=north)
    client = staff_client(busy.clinician)
    week_ago = (timezone.now() - timedelta(days=7)).date().isoformat()
    for params in ({"location": north.pk}, {"location": north.pk, "page": 3},
                   {"location": north.pk, "outcome": "review", "rule": "BLEEDING_DISORDER",
                    "submitted_from": week_ago}):
        with django_assert_max_num_queries(QUEUE_QUERIES):
            response = client.get(reverse("staff:queue"), params)
        assert response.status_code == 200 and response.context["form"].filters().location == north.pk


def test_following_next_to_the_end_of_the_queue_runs_at_most_ten_queries_a_page(
    busy, django_assert_max_num_queries
):
    client = staff_client(busy.front_desk)
    response = client.get(reverse("staff:queue"))
    seen = 0
    while True:
        page = response.context["result"].page
        seen += len(page.object_list)
        if not page.has_next():
            break
        with django_assert_max_num_queries(QUEUE_QUERIES):
            response = client.get(reverse("staff:queue") + page.next_query)
            assert response.status_code == 200
    assert seen == 154


def test_the_intake_detail_runs_at_most_ten_queries(busy, django_assert_max_num_queries):
    client = staff_client(busy.clinician)
    for intake in (busy.intake_a, busy.intake_b):
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(reverse("staff:intake", args=[intake.public_id])).status_code == 200
