"""A clinician clears an intake with instructions for the patient, at 1280 px; the patient reads them on a phone
(issue 19). The email carries only a link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from screening.booking.services import booking_create
from screening.core.clinic import clinic_zone
from screening.review.permissions import CLINICIAN
from screening.setup.demo import seed_calendar
from tests.browser.staff import authenticator, sign_in
from tests.conftest import run_ready_tasks
from tests.staff.conftest import PASSWORD, REVIEW, make_intake, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]

INSTRUCTIONS = "Take your antiviral as prescribed from two days before."


def _held_time(intake):
    from screening.booking.selectors import free_days_for

    days = free_days_for(intake, tz=clinic_zone(), now=timezone.now())
    slot = next(slot for day in days for slot in day.slots)
    return booking_create(intake=intake, practitioner_id=slot.practitioner_id, start=slot.start)


def test_the_clinician_clears_with_instructions_and_the_patient_reads_them_on_a_phone(desktop, phone):
    seed_calendar()
    ada = make_intake(email="ada@example.com", first_name="Ada", last_name="Lovelace", answers=REVIEW)
    assert _held_time(ada).status == "held"
    clinician = make_staff("cleo", CLINICIAN)
    sign_in(desktop, "cleo", PASSWORD, authenticator(clinician), start=f"/staff/intakes/{ada.public_id}/")
    page = desktop.page
    page.locator("#id_clear_note").fill("Cold sores: fine with prophylaxis.")
    page.get_by_label("Instructions for the patient (optional)").fill(INSTRUCTIONS)
    page.get_by_role("button", name=re.compile("^Clear")).click()
    expect(page.get_by_text("Cleared Ada Lovelace")).to_be_visible()
    desktop.assert_accessible()

    mail.outbox.clear()
    run_ready_tasks()
    [cleared] = [m for m in mail.outbox if m.subject == "Your answers have been reviewed"]
    assert "antiviral" not in cleared.body
    link = re.search(r"https?://\S+", cleared.body.split("booking page:")[1]).group(0)
    phone.goto(re.sub(r"^https?://[^/]+", "", link))
    phone.page.get_by_role("button", name="Continue").click()
    expect(phone.page.get_by_role("heading", name="Before your appointment")).to_be_visible()
    expect(phone.page.locator("#patient-instructions")).to_contain_text(INSTRUCTIONS)
    assert phone.page.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone.shot("instructions on the booking page")
    phone.assert_accessible()
