"""Patients' public actions are rate limited, with a friendly 429 page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
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
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "intake_start": (3, 3600), "intake_start_address": (10, 3600),
                            "link_request": (2, 3600), "link_request_email": (1, 300), "link_open": (3, 3600),
                            "booking": (2, 3600)}


def test_starting_too_many_intakes_from_one_address_gets_a_friendly_429(limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    face = Treatment.objects.get(code="face").pk
    codes = [client.post(reverse("intake:start"), {"treatment": face}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert Intake.objects.count() == 3
    refused = client.post(reverse("intake:start"), {"treatment": face})
    assert "Please wait a little before trying again" in refused.content.decode()
    # The seconds left in this hour's window, not a whole hour from now.
    now = timezone.now()
    left = 3600 - int(now.timestamp()) % 3600
    assert abs(int(refused["Retry-After"]) - left) <= 2
    other = Client(REMOTE_ADDR="198.51.100.2")
    assert other.post(reverse("intake:start"), {"treatment": face}).status_code == 302


def test_link_requests_are_limited_per_address_and_per_email(limits, mailoutbox):
    one = Client(REMOTE_ADDR="203.0.113.8")
    url = reverse("intake:link_request")
    assert [one.post(url, {"email": f"p{i}@example.com"}).status_code for i in range(3)] == [200, 200, 429]


def test_strangers_asking_for_a_patients_link_neither_flood_nor_block_her(limits, mailoutbox, run_tasks):
    """30 addresses ask for one patient's link: she gets one email, and can still get one herself later."""
    target = Intake.objects.create(treatment=Treatment.objects.get(code="face"), email="target@example.com")
    url = reverse("intake:link_request")
    codes = [Client(REMOTE_ADDR=f"198.51.100.{i}").post(url, {"email": "target@example.com"}).status_code
             for i in range(10, 40)]
    assert codes == [200] * 30  # the same page for everyone: nothing to probe, nothing refused
    run_tasks()
    assert [m.to for m in mailoutbox] == [["target@example.com"]]
    mailoutbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert Client(REMOTE_ADDR="203.0.113.50").post(url, {"email": target.email}).status_code == 200
        run_tasks()
    assert [m.to for m in mailoutbox] == [["target@example.com"]]


def test_a_reception_tablet_has_its_own_allowance_within_the_addresss(limits):
    """Devices are counted by their cookie: the tablet stops at its own limit, the phones beside it do not."""
    face = Treatment.objects.get(code="face").pk
    url = reverse("intake:start")

    def device() -> Client:
        client = Client(REMOTE_ADDR="203.0.113.60")  # the clinic's wifi: one address for everyone
        assert client.get(url).status_code == 200  # the start page gives the device its cookie
        return client

    tablet = device()
    assert [tablet.post(url, {"treatment": face}).status_code for _ in range(4)] == [302, 302, 302, 429]
    phones = [device() for _ in range(30)]
    codes = [phone.post(url, {"treatment": face}).status_code for phone in phones]
    # 3 by the tablet, then the address's allowance of 10 in all: 7 more phones get in.
    assert codes == [302] * 7 + [429] * 23
    assert Intake.objects.count() == 10


def test_thirty_addresses_each_have_their_own_allowance(limits):
    face = Treatment.objects.get(code="face").pk
    codes = [Client(REMOTE_ADDR=f"192.0.2.{i}").post(reverse("intake:start"), {"treatment": face}).status_code
             for i in range(1, 31)]
    assert codes == [302] * 30


def test_a_forged_device_cookie_counts_as_no_cookie(limits):
    face = Treatment.objects.get(code="face").pk
    client = Client(REMOTE_ADDR="203.0.113.70")
    codes = []
    for i in range(4):
        client.cookies["clinic_device"] = f"forged-{i}"  # a new unsigned id each time
        codes.append(client.post(reverse("intake:start"), {"treatment": face}).status_code)
    assert codes == [302, 302, 302, 429]  # counted by address, as a client without a cookie


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


def test_a_double_tap_on_email_me_a_link_shows_the_same_page_and_sends_one(limits, mailoutbox, run_tasks):
    Intake.objects.create(treatment=Treatment.objects.get(code="face"), email="tap@example.com")
    client = Client(REMOTE_ADDR="203.0.113.30")
    url = reverse("intake:link_request")
    first, second = (client.post(url, {"email": "tap@example.com"}) for _ in range(2))
    assert first.status_code == second.status_code == 200
    for response in (first, second):
        assert "intake/link_sent.html" in [t.name for t in response.templates]
    run_tasks()
    assert len([m for m in mailoutbox if "tap@example.com" in m.to]) == 1
