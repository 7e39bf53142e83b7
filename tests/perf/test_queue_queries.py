"""The queue's own reads: the counts, the rows of one part of the order or both, and the capped total.

The page as a whole is held to ten queries (test_query_counts.py, with
sign-in, second factor and permissions); this holds the queue itself to
what it needs, whatever the filter or the page: at most four queries, three
when one part fills the page.
"""

from __future__ import annotations

import pytest

from screening.review.queue import PAGE_SIZE, QueueFilters, QueuePosition, queue_page
from tests.staff.conftest import bulk_intakes

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(personas):
    bulk_intakes(60, practitioner=personas.practitioner, prefix="many", held_every=5)
    return personas


def test_a_page_of_the_queue_runs_three_or_four_queries(many, django_assert_num_queries,
                                                         django_assert_max_num_queries):
    first = queue_page(filters=QueueFilters())
    assert first.counts["needs_review"] > PAGE_SIZE  # the first page is all to review: one part
    with django_assert_num_queries(3):
        queue_page(filters=QueueFilters())
    with django_assert_num_queries(3):
        queue_page(filters=QueueFilters(), position=QueuePosition(page=2, after=first.page.next.after))
    for filters in (QueueFilters(state="review"), QueueFilters(outcome="eligible"), QueueFilters(search="many1"),
                    QueueFilters(rule="BLEEDING_DISORDER"), QueueFilters(location=many.practitioner.location_id or 1)):
        with django_assert_max_num_queries(4):
            queue_page(filters=filters)
    for page in (2, 3, 5):
        with django_assert_max_num_queries(4):
            queue_page(filters=QueueFilters(), position=QueuePosition(page=page))
