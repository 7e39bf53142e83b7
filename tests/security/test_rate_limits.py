"""Patients' public actions are rate limited, with a friendly 429 page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening.core.models import RateLimitCounter, Treatment
from screening.core.ratelimit import rate_limit_hit
from screening.intake.models import Intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "intake_start": (3, 3600), "link_request": (2, 3600),
                            "link_request_email": (2, 3600), "link_open": (3, 3600), "booking": (2, 3600)}


def test_starting_too_many_intakes_from_one_address_gets_a_friendly_429(limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    face = Treatment.objects.get(code="face").pk
    codes = [client.post(reverse("intake:start"), {"treatment": face}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Intake.objects.count() == 3
    refused = client.post(reverse("intake:start"), {"treatment": face})
    assert "Please wait a little before trying again" in refused.content.decode()
    assert refused["Retry-After"] == "3600"
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert other.post(reverse("intake:start"), {"treatment": face}).status_code == 302


def test_link_requests_are_limited_per_address_and_per_email(limits):
    one = Client(REMOTE_ADDR="203.0.113.8")
    url = reverse("intake:link_request")
    assert [one.post(url, {"email": f"p{i}@example.com"}).status_code for i in range(3)] == [200, 200, 429]
    # Many addresses asking for one email still stop at the email's limit.
    codes = [Client(REMOTE_ADDR=f"198.51.100.{i}").post(url, {"email": "target@example.com"}).status_code
             for i in range(10, 13)]
    assert codes == [200, 200, 429]


def test_guessing_link_tokens_is_limited(limits):
    client = Client(REMOTE_ADDR="203.0.113.9")
    codes = [client.get(reverse("intake:link", args=[f"guess{i}"])).status_code for i in range(4)]
    assert codes == [404, 404, 404, 429]


def test_a_new_window_starts_a_new_count():
    now = timezone.now()
    assert all(rate_limit_hit(scope="s", ident="x", limit=2, seconds=60, now=now) for _ in range(2))
    assert not rate_limit_hit(scope="s", ident="x", limit=2, seconds=60, now=now)
    assert rate_limit_hit(scope="s", ident="x", limit=2, seconds=60, now=now + timedelta(seconds=61))


def test_counters_store_no_address_or_email():
    rate_limit_hit(scope="link_request_email", ident="someone@example.com", limit=5, seconds=60)
    row = RateLimitCounter.objects.get()
    assert "someone" not in row.key and len(row.key) == 64
