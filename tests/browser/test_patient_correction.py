""""I answered something by mistake" on a phone (issue 17): a patient told "not suitable" because of one
mis-tapped answer corrects it, sees the new outcome, and the clinician's intake page shows both screenings.
axe at 0 serious or critical on each patient page, 390 px wide without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from screening.intake.models import Intake, Screening
from screening.review.permissions import CLINICIAN
from tests.browser.patient import _fill
from tests.browser.staff import authenticator, sign_in
from tests.staff.conftest import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]

NOT_SUITABLE = "We can't offer this treatment at the moment"


def _fits_the_phone(visit) -> None:
    assert visit.page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_a_not_suitable_patient_corrects_a_mistaken_answer_on_a_phone_and_staff_see_both_screenings(
        phone, desktop):
    page = phone.page
    _fill(phone, part1={"active_skin_infection": "yes"})  # the mis-tap: an infection they do not have
    expect(page.get_by_role("heading", name=NOT_SUITABLE)).to_be_visible()
    intake = Intake.objects.get()
    assert intake.outcome == "not_suitable"
    correct = page.get_by_role("link", name="I answered something by mistake")
    expect(correct).to_be_visible()
    _fits_the_phone(phone)
    phone.assert_accessible()

    correct.click()
    expect(page.get_by_role("heading", name="Correct your answers")).to_be_visible()
    mistaken = page.locator("input[name='active_skin_infection'][value='yes']")
    expect(mistaken).to_be_checked()  # the answers they sent, reopened
    _fits_the_phone(phone)
    phone.shot("correct your answers")
    phone.assert_accessible()
    page.locator("input[name='active_skin_infection'][value='no']").check()
    page.get_by_role("button", name="Send my corrected answers").click()

    expect(page.get_by_role("heading", name="Good news: you can book")).to_be_visible()
    expect(page.get_by_text("Your corrected answers have been sent")).to_be_visible()
    expect(page.get_by_role("link", name="Choose a time")).to_be_visible()
    _fits_the_phone(phone)
    phone.shot("new outcome")
    phone.assert_accessible()

    intake.refresh_from_db()
    assert intake.outcome == "eligible"
    screenings = list(intake.screenings.order_by("created_at", "id"))
    assert [(s.reason, s.outcome) for s in screenings] == [
        (Screening.Reason.SUBMIT, "not_suitable"), (Screening.Reason.CORRECTED, "eligible")]
    assert screenings[0].answers["active_skin_infection"] is True  # the first one stands as it was

    clinician = make_staff("clara", CLINICIAN)
    start = f"/staff/intakes/{intake.public_id}/"
    sign_in(desktop, "clara", PASSWORD, authenticator(clinician), start=start)
    history = desktop.page.locator("section[aria-labelledby='screenings-heading'] tbody tr")
    expect(history).to_have_count(2)
    expect(history.filter(has_text="Not suitable")).to_have_count(1)
    corrected = history.filter(has_text=re.compile("corrected", re.IGNORECASE))
    expect(corrected).to_have_count(1)
    expect(corrected).to_contain_text("Eligible")
    desktop.shot("staff intake with both screenings")
    desktop.assert_accessible()
