"""The front desk fills an intake with a patient on the phone, at 1280 px (issue 19): the same steps as the
patient's, consent ticked as given verbally, every page checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from screening.intake.models import Intake
from screening.review.permissions import FRONT_DESK
from tests.browser.patient import HEALTH_STEPS, _about_you, _health_step
from tests.browser.staff import authenticator, sign_in
from tests.staff.conftest import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]


def _next(visit, label: str, button: str = "Next") -> None:
    visit.shot(label)
    visit.assert_accessible()
    visit.page.get_by_role("button", name=button).click()


def test_the_front_desk_fills_an_intake_by_phone_with_consent_given_verbally(desktop):
    desk = make_staff("desk", FRONT_DESK)
    sign_in(desktop, "desk", PASSWORD, authenticator(desk), start="/staff/")
    page = desktop.page
    page.get_by_role("link", name="New intake by phone").click()
    expect(page.get_by_role("heading", name="New intake by phone")).to_be_visible()
    desktop.assert_accessible()
    page.get_by_label("Face and neck", exact=False).check()
    page.get_by_role("button", name="Start the questions").click()

    _about_you(page, first="Pat", last="Caller", email="pat@example.com")
    _next(desktop, "about you")
    page.get_by_label("Fine lines and wrinkles", exact=False).check()
    _next(desktop, "goals")
    for part in range(1, HEALTH_STEPS + 1):
        _health_step(page, {}, {})
        _next(desktop, f"health {part}")
    page.get_by_label("I have read", exact=False).check()
    # Sent without the verbal consent: refused on the page, nothing sent.
    _next(desktop, "consent, not ticked", "Send the answers")
    expect(page.get_by_role("alert")).to_be_visible()
    desktop.assert_accessible()
    assert Intake.objects.get(first_name="Pat").status == Intake.Status.DRAFT
    page.get_by_label(re.compile("confirmed consent verbally", re.I)).check()
    _next(desktop, "consent", "Send the answers")

    intake = Intake.objects.get(first_name="Pat")
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.assisted_by == desk and intake.verbal_consent_by == desk
    expect(page.get_by_text(re.compile("by phone", re.I)).first).to_be_visible()
    desktop.shot("sent")
    desktop.assert_accessible()
