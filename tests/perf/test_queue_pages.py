"""The queue's pages: Next and Previous by keyset, a page number by offset, nothing repeated or skipped."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.booking.models import Practitioner
from screening.core.models import Treatment
from screening.intake.models import Intake
from screening.review import queue, selectors
from tests.staff.conftest import bulk_intakes, settle_review_state, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_queue(personas):
    """Review intakes (a third holding a time), then 60 that need no review (but one, still holding a time)."""
    other = Practitioner.objects.create(name="Ben Carter")
    other.treatments.set(Treatment.objects.all())
    bulk_intakes(30, practitioner=other, prefix="head")
    tail = bulk_intakes(60, practitioner=other, prefix="tail", held_every=10_000)
    Intake.objects.filter(pk__in=[i.pk for i in tail]).update(outcome="eligible")
    settle_review_state(*tail)  # the first still holds a time: it needs review
    # Two tail intakes sent at the same moment: the id breaks the tie.
    same = timezone.now() - timedelta(days=3)
    Intake.objects.filter(pk__in=[tail[10].pk, tail[11].pk]).update(submitted_at=same)
    return personas


def _walk(client, *, forward: bool = True):
    response = client.get(reverse("staff:queue"))
    pages = [response]
    while response.context["result"].page.has_next():
        response = client.get(reverse("staff:queue") + response.context["result"].page.next_query)
        assert response.status_code == 200
        pages.append(response)
    return pages


def _pks(response) -> list[int]:
    return [i.pk for i in response.context["result"].page.object_list]


def test_next_walks_the_whole_queue_once_in_its_order(long_queue):
    client = staff_client(long_queue.front_desk)
    pages = _walk(client)
    seen = [pk for page in pages for pk in _pks(page)]
    assert len(seen) == len(set(seen)) == Intake.objects.filter(status="submitted").count() == 92
    every = selectors.queue_page(filters=selectors.QueueFilters(), page_number=1)
    assert seen[: len(every.page.object_list)] == [i.pk for i in every.page.object_list]
    # Review due first (held times count as due), then the rest newest first.
    head = set(Intake.objects.filter(outcome="review").values_list("pk", flat=True))
    head |= set(Intake.objects.filter(bookings__status="held").values_list("pk", flat=True))
    assert set(seen[: len(head)]) == head
    tail = list(Intake.objects.exclude(pk__in=head).filter(status="submitted")
                .order_by("-submitted_at", "-id").values_list("pk", flat=True))
    assert seen[len(head):] == tail  # then the rest, newest first


def test_next_pages_continue_from_a_cursor_and_previous_goes_back(long_queue):
    client = staff_client(long_queue.front_desk)
    pages = _walk(client)
    assert "after=" in pages[-1].context["result"].page.next_query or not pages[-1].context["result"].page.has_next()
    last = pages[-1]
    assert "after=" in pages[-2].context["result"].page.next_query
    back = client.get(reverse("staff:queue") + last.context["result"].page.previous_query)
    assert _pks(back) == _pks(pages[-2])
    again = client.get(reverse("staff:queue") + back.context["result"].page.previous_query)
    assert _pks(again) == _pks(pages[-3])


def test_a_large_total_is_shown_as_more_than_the_cap(long_queue, monkeypatch):
    monkeypatch.setattr(queue, "COUNT_CAP", 50)
    response = staff_client(long_queue.front_desk).get(reverse("staff:queue"))
    result = response.context["result"]
    assert result.total_capped and result.counts["total"] == 50
    assert result.page.num_pages is None
    assert "more than 50</" not in response.content.decode()
    assert "more than 50 in all" in response.content.decode()
    assert "Page 1</span>" in response.content.decode()


def test_a_forged_cursor_is_ignored(long_queue):
    client = staff_client(long_queue.front_desk)
    for bad in ("x", "2026-13-01T00:00:00+00:00_5", "2026-01-01T00:00:00_5", "_", "a" * 100,
                "1_2026-01-01T00:00:00_5", "0_x_2026-01-01T00:00:00+00:00_5", "2_2026-01-01T00:00:00+00:00_5",
                "1_2026-01-01T00:00:00+00:00_" + "9" * 30, "1_2026-01-01T00:00:00+00:00_-5", "0__",
                "1_0001-01-01T00:00:00+01:00_5", "0_9999-12-31T23:59:59-05:00_2026-01-01T00:00:00+00:00_5"):
        for key in ("after", "before"):
            assert client.get(reverse("staff:queue"), {key: bad, "page": "3"}).status_code == 200
