"""A course of treatment on a 390 px phone: intake, session 1 done, the skin check, session 2 through the short
update, the health check before it; and the front desk's bookings and patient pages, each checked with axe."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from screening.booking import emails
from screening.booking.models import Booking, BookingStatus
from screening.core.clinic import clinic_zone
from screening.courses.follow_up import follow_up_send
from screening.intake.models import Intake
from screening.review.permissions import FRONT_DESK
from screening.setup.demo import seed_calendar
from tests.browser.patient import _fill
from tests.browser.staff import enter_password
from tests.conftest import run_ready_tasks
from tests.intake.helpers import link_from_mail
from tests.staff.conftest import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _follow(visit, subject_starts: str) -> None:
    """Open the newest emailed link with this subject, and confirm on the page it leads to."""
    run_ready_tasks()
    sent = [m for m in mail.outbox if m.subject.startswith(subject_starts)]
    visit.goto(urlsplit(link_from_mail(sent[-1])).path)
    visit.assert_accessible()
    visit.page.get_by_role("button", name="Continue").click()


def _book_first_time(visit) -> None:
    page = visit.page
    page.locator(".slot-grid label").first.click()
    visit.assert_accessible()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", name="Your appointment")).to_be_visible()
    visit.assert_accessible()


def test_a_whole_course_on_a_phone_and_the_front_desk_pages(phone, desktop):
    seed_calendar()
    page = phone.page
    _fill(phone)
    page.get_by_role("link", name="Choose a time").click()
    _book_first_time(phone)
    expect(page.get_by_role("heading", name="Getting your skin ready")).to_be_visible()
    first = Booking.objects.get(status=BookingStatus.CONFIRMED)
    # Session 1 takes place: its time is now (the slot picker offers only later times).
    now = timezone.now()
    Booking.objects.filter(pk=first.pk).update(start=now - timedelta(minutes=1), end=now + timedelta(minutes=59))

    make_staff("desk", FRONT_DESK)
    desktop.goto("/staff/bookings/")
    enter_password(desktop, "desk", PASSWORD)
    desktop.goto("/staff/bookings/")
    desktop.assert_accessible()
    row = desktop.page.get_by_role("row").filter(has_text="Alex Example")
    row.get_by_role("button", name="Done").click()
    expect(desktop.page.get_by_text("Alex Example: session done.")).to_be_visible()
    desktop.assert_accessible()
    assert Booking.objects.get(pk=first.pk).status == BookingStatus.COMPLETED

    # The skin check, a few days later (the task's own code, run now).
    follow_up_send(booking_id=first.pk)
    _follow(phone, "How is your skin?")
    expect(page.get_by_role("heading", name="How is your skin?")).to_be_visible()
    phone.assert_accessible()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("glad your skin is doing well")).to_be_visible()

    # Session 2 through the short health update.
    page.get_by_role("link", name="Book my next session").click()
    expect(page.get_by_role("heading", name="Your next session: a quick health update")).to_be_visible()
    phone.assert_accessible()
    page.get_by_role("button", name="Send and choose a time").click()
    page.get_by_role("link", name="Choose a time").click()
    _book_first_time(phone)
    intake = Intake.objects.get(follows__isnull=False)
    second = Booking.objects.get(intake=intake, status=BookingStatus.CONFIRMED)

    # The health check before it (sent now, as its task would at the clinic's time).
    emails.queue_recheck(second, tz=clinic_zone(), now=timezone.now())
    _follow(phone, "A one-minute health check")
    expect(page.get_by_role("heading", name="A quick health check before your visit")).to_be_visible()
    phone.assert_accessible()
    phone.shot("health check")
    page.get_by_role("button", name="Send my health check").click()
    expect(page.get_by_text("Nothing has changed that stands in the way")).to_be_visible()
    assert Booking.objects.get(pk=second.pk).status == BookingStatus.CONFIRMED
    assert intake.screenings.filter(reason="recheck").count() == 1

    # The front desk's patient page: the whole course on one timeline.
    desktop.goto(f"/staff/patients/{intake.patient_id}/")
    expect(desktop.page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(desktop.page.get_by_text("sessions done: 1")).to_be_visible()
    desktop.assert_accessible()
    assert Intake.objects.filter(patient_id=intake.patient_id).count() == 2
