"""The client address behind reverse proxies (DJANGO_TRUSTED_PROXY_COUNT).

Off by default: the socket peer, whatever X-Forwarded-For says. With the
count set, the address the last trusted proxy appended is the client, for
rate limits, sign-in lockouts and the audit trail alike; what the client
wrote into the header itself is never believed.
"""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.core.client_ip import client_ip
from screening.core.models import Treatment
from screening.intake.models import Intake
from screening.review.permissions import FRONT_DESK
from tests.staff.conftest import PASSWORD, make_staff

PROXY = "10.0.0.5"
ALICE, BOB, FORGED = "198.51.100.7", "203.0.113.66", "192.0.2.1"


def _ip(forwarded: str | None, remote: str = PROXY) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **meta))


def test_without_the_setting_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert _ip(f"{FORGED}, {ALICE}") == PROXY
    assert _ip(None, remote="not an address") is None


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, ALICE, ALICE),
        (1, f"{FORGED}, {ALICE}", ALICE),  # the client's own claim, left of the proxy's entry, is ignored
        (1, f" {FORGED} ,{ALICE} ", ALICE),
        (2, f"{FORGED}, {ALICE}, 10.0.0.9", ALICE),  # two proxies: the first appended the client
        (2, ALICE, PROXY),  # shorter than the count: did not come through every proxy
        (1, "", PROXY),
        (1, "unknown", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_with_the_setting_the_last_trusted_entry_is_the_client(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert _ip(forwarded) == expected


@pytest.mark.django_db
def test_behind_one_proxy_patients_get_their_own_rate_limits(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "intake_start": (2, 3600)}
    face = Treatment.objects.get(code="face").pk
    alice = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ALICE)
    codes = [alice.post(reverse("intake:start"), {"treatment": face}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    # Alice cannot escape by writing another address in front of the proxy's entry.
    sneaky = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {ALICE}")
    assert sneaky.post(reverse("intake:start"), {"treatment": face}).status_code == 429
    bob = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=BOB)
    assert bob.post(reverse("intake:start"), {"treatment": face}).status_code == 302
    assert Intake.objects.count() == 3


@pytest.mark.django_db
def test_behind_one_proxy_a_lockout_pauses_one_address_and_the_audit_names_it(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_staff("frank", FRONT_DESK)
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=BOB)
    for _ in range(5):
        attacker.post(reverse("staff:login"), {"username": "frank", "password": "wrong"})
    assert attacker.post(reverse("staff:login"), {"username": "frank", "password": PASSWORD}).status_code == 429
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ALICE)
    assert owner.post(reverse("staff:login"), {"username": "frank", "password": PASSWORD}).status_code == 302
    assert set(AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).values_list("ip", flat=True)) == {BOB}
    assert AuditEvent.objects.get(action=AuditAction.LOGIN).ip == ALICE
