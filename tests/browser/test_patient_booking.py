"""A patient on a phone books a time, moves it, and cancels it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from screening.booking.models import Booking
from screening.setup.demo import seed_calendar
from tests.browser.patient import _fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick_first_time(visit, button: str) -> None:
    page = visit.page
    page.locator(".slot-grid label").first.click()
    visit.shot("picker")
    visit.assert_accessible()
    page.get_by_role("button", name=button).click()


def test_an_eligible_patient_books_moves_and_cancels(phone, live_server):
    seed_calendar()
    _fill(phone)
    page = phone.page
    page.get_by_role("link", name="Choose a time").click()
    expect(page.get_by_role("heading", name="Choose a time")).to_be_visible()
    _pick_first_time(phone, "Book this time")

    expect(page.get_by_role("heading", name="Your appointment")).to_be_visible()
    phone.shot("booked")
    phone.assert_accessible()
    first = Booking.objects.get(status="confirmed")

    page.get_by_role("link", name="Move to another time").click()
    expect(page.get_by_role("heading", name="Move your appointment")).to_be_visible()
    page.get_by_role("link", name=re.compile("Later dates")).click()
    _pick_first_time(phone, "Move to this time")
    expect(page.get_by_role("heading", name="Your appointment")).to_be_visible()
    moved = Booking.objects.get(status="confirmed")
    assert moved.pk != first.pk and moved.start > first.start

    page.get_by_role("link", name="Cancel appointment").click()
    phone.shot("cancel")
    phone.assert_accessible()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_role("heading", name="No appointment booked")).to_be_visible()
    phone.shot("cancelled")
    assert not Booking.objects.filter(status__in=["held", "confirmed"]).exists()


def test_a_patient_needing_review_holds_a_time(phone, live_server):
    seed_calendar()
    _fill(phone, part1={"blood_thinners": "yes"})
    page = phone.page
    page.get_by_role("link", name="Hold a time").click()
    _pick_first_time(phone, "Hold this time")
    expect(page.get_by_role("heading", name="Your time is held")).to_be_visible()
    phone.assert_accessible()
    assert Booking.objects.get().status == "held"
