"""A patient on a phone books a time, moves it, and cancels it."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from screening.booking.models import Booking
from screening.core.models import Treatment
from screening.setup.demo import seed_calendar
from tests.browser.patient import _fill
from tests.conftest import run_ready_tasks

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


def test_the_reminder_arrives_and_its_move_link_works(phone, live_server):
    """Booked on a phone; the worker (its own code, with the clock moved on) sends the reminder; its link moves it."""
    seed_calendar()
    # The first free time at least 4 hours ahead, so its 3-hour reminder is still to come whatever the hour
    # the test runs at (run between 06:00 and 09:00 UTC, a 09:00 slot today had its reminder time passed).
    Treatment.objects.update(min_notice_hours=4)
    _fill(phone)
    page = phone.page
    page.get_by_role("link", name="Choose a time").click()
    _pick_first_time(phone, "Book this time")
    expect(page.get_by_role("heading", name="Your appointment")).to_be_visible()
    booking = Booking.objects.get(status="confirmed")
    assert run_ready_tasks() >= 1  # the receipt and the confirmation
    assert any(m.subject.startswith("Your appointment is confirmed") for m in mail.outbox)

    mail.outbox.clear()
    with time_machine.travel(booking.start - timedelta(hours=2, minutes=59), tick=False):
        run_ready_tasks()
    reminders = [m for m in mail.outbox if m.subject.startswith("Reminder:")]
    assert len(reminders) == 1 or len(reminders) == 2  # 48 h before may already have passed for a slot tomorrow
    link = next(line.strip() for line in reminders[-1].body.splitlines() if "/intake/r/" in line)

    phone.page.context.clear_cookies()  # the reminder is opened later, on a phone that has forgotten the session
    phone.goto(urlsplit(link).path)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your appointment")).to_be_visible()
    page.get_by_role("link", name="Move to another time").click()
    expect(page.get_by_role("heading", name="Move your appointment")).to_be_visible()
    page.get_by_role("link", name=re.compile("Later dates")).click()
    _pick_first_time(phone, "Move to this time")
    expect(page.get_by_role("heading", name="Your appointment")).to_be_visible()
    moved = Booking.objects.get(status="confirmed")
    assert moved.pk != booking.pk and moved.calendar_uid == booking.calendar_uid


def test_the_patient_reads_the_data_held_about_them_on_a_phone(phone, live_server):
    seed_calendar()
    _fill(phone, part1={"blood_thinners": "yes"})
    page = phone.page
    page.get_by_role("link", name="See the data we hold about you").click()
    expect(page.get_by_role("heading", name="The data we hold about you")).to_be_visible()
    expect(page.get_by_text("Alex Example").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # no sideways scroll
    phone.shot("your-data")
    phone.assert_accessible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download it as a file (JSON)").click()
    assert download.value.suggested_filename == "your-data.json"
