"""Guesses at one staff account spread over many addresses: the account pauses and the clinic admins are told once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from screening.audit.models import AuditAction, AuditEvent
from screening.outbox.models import Message, MessageKind
from screening.review.permissions import CLINIC_ADMIN, CLINICIAN
from tests.staff.conftest import PASSWORD, make_staff

LOGIN = "/staff/login/"
ADDRESSES = [f"203.0.113.{n}" for n in range(1, 11)]


@pytest.fixture
def accounts(db):
    return {"clara": make_staff("clara", CLINICIAN), "adele": make_staff("adele", CLINIC_ADMIN),
            "alma": make_staff("alma", CLINIC_ADMIN)}


def guess(address: str, username: str = "clara", password: str = "wrong guess"):
    return Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})


def forty_guesses_from_ten_addresses() -> list[int]:
    """Four guesses from each address: under axes' five per address, every one of them."""
    return [guess(address).status_code for _ in range(4) for address in ADDRESSES]


def test_forty_guesses_from_ten_addresses_pause_the_account_everywhere(accounts):
    statuses = forty_guesses_from_ten_addresses()
    assert statuses[:20] == [200] * 20  # the form again: wrong password
    assert set(statuses[20:]) == {429}  # paused: refused without looking at the password
    owner = guess("198.51.100.7", password=PASSWORD)  # the right password, from a new address
    assert owner.status_code == 429
    text = owner.content.decode()
    assert "from everywhere" in text and "clara" in text and "administrators have been told" in text
    assert guess("198.51.100.7", username="adele", password=PASSWORD).status_code == 302  # other accounts are fine


def test_once_the_attempts_stop_the_owner_signs_in_again(accounts):
    forty_guesses_from_ten_addresses()
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        assert guess("198.51.100.7", password=PASSWORD).status_code == 302


def test_the_owners_own_typos_never_pause_the_account(accounts):
    for _ in range(4):
        assert guess("198.51.100.7", password="typo").status_code == 200
    assert guess("198.51.100.7", password=PASSWORD).status_code == 302
    assert not Message.objects.filter(kind=MessageKind.STAFF_SIGNIN_ALERT).exists()


def test_the_clinic_admins_are_alerted_once_without_any_password(accounts):
    forty_guesses_from_ten_addresses()
    alerts = Message.objects.filter(kind=MessageKind.STAFF_SIGNIN_ALERT)
    assert sorted(alerts.values_list("recipient", flat=True)) == ["adele@clinic.example", "alma@clinic.example"]
    [line] = AuditEvent.objects.filter(action=AuditAction.SIGNIN_ALERT)
    assert line.object_id == str(accounts["clara"].pk)
    for message in alerts:
        assert "clara" in message.body and "wrong guess" not in message.body and PASSWORD not in message.body
    # A new window, a new attack: a new alert.
    with time_machine.travel(timezone.now() + timedelta(minutes=20), tick=False):
        for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
            for _ in range(4):
                guess(address)
        assert Message.objects.filter(kind=MessageKind.STAFF_SIGNIN_ALERT).count() == 4


def test_many_failures_from_one_address_alert_nobody(accounts):
    """One address is axes' business (it pauses that address); the alert is about many."""
    for _ in range(12):
        guess("198.51.100.9")
    assert not Message.objects.filter(kind=MessageKind.STAFF_SIGNIN_ALERT).exists()
