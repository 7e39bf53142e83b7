"""The front desk books for a patient on the phone, at 1280 px (issue 19): the same booking services and
screening gate as the patient's own, refused with the reason when the screening does not allow it."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import expect

from screening.booking.models import Booking, BookingStatus
from screening.review.permissions import FRONT_DESK
from screening.setup.demo import seed_calendar
from tests.browser.staff import authenticator, sign_in
from tests.conftest import run_ready_tasks
from tests.staff.conftest import NOT_SUITABLE, PASSWORD, make_intake, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]


def test_the_front_desk_books_by_phone_and_is_told_why_not_for_a_patient_who_may_not_book(desktop):
    seed_calendar()
    caller = make_intake(email="pat@example.com", first_name="Pat", last_name="Caller")
    refused = make_intake(email="nat@example.com", first_name="Nat", last_name="Acne", answers=NOT_SUITABLE)
    desk = make_staff("desk", FRONT_DESK)
    start = f"/staff/intakes/{caller.public_id}/"
    sign_in(desktop, "desk", PASSWORD, authenticator(desk), start=start)
    page = desktop.page
    page.get_by_role("link", name="Book for the patient").click()
    expect(page.get_by_role("heading", name="Book for Pat Caller")).to_be_visible()
    desktop.assert_accessible()
    first = page.locator("input[name='slot']").first
    chosen = page.locator(f"label[for='{first.get_attribute('id')}']").inner_text()
    first.check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Pat Caller: booked. The patient gets the email.")).to_be_visible()
    desktop.assert_accessible()
    booking = Booking.objects.get(intake=caller)
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.practitioner.name in chosen
    run_ready_tasks()
    assert any(m.to == ["pat@example.com"] and "confirmed" in m.subject for m in mail.outbox)

    desktop.goto(f"/staff/intakes/{refused.public_id}/book/")
    expect(page.locator("#booking-refused")).to_contain_text("We cannot book this treatment for you online")
    assert page.locator("input[name='slot']").count() == 0
    desktop.shot("refused with the reason")
    desktop.assert_accessible()
