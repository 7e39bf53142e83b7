"""Staff in a real browser, with two-factor sign-in on as in production.

A clinician clears an intake that a patient (on a phone, through the real
intake and slot picker) sent with a flag and a held time; a clinic admin
changes a rule's window through a draft, reads the what-if preview and
publishes it. Every staff and admin page on the way is checked with axe.

``DOCS_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_staff_journeys.py``
also rewrites the README's screenshots in docs/screenshots/ from these runs.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from screening.booking.models import Booking, BookingStatus
from screening.intake.models import Intake
from screening.questionnaire.models import Rule, RuleDraft
from screening.review.models import DecisionKind, IntakeDecision
from screening.review.permissions import CLINIC_ADMIN, CLINICIAN
from screening.setup.demo import seed_calendar
from tests.browser.patient import _about_you, _choose_treatment, _consent, _health_step, _health_steps, _next
from tests.browser.staff import (
    authenticator,
    code_for,
    docs_screenshot,
    enter_code,
    enter_password,
    sign_in,
    wait_out_the_throttle,
    wrong_code_for,
)
from tests.conftest import run_ready_tasks
from tests.staff.conftest import NOT_SUITABLE, PASSWORD, REVIEW, make_intake, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]

PATIENT_EMAIL = "alex@example.com"
MEDICINE = "Warfarin 3 mg a day"


# --- the clinician ------------------------------------------------------------------------


def _patient_holds_a_time_needing_review(phone) -> Intake:
    """On a phone: an intake that says "blood thinners", then a held time from the picker."""
    page = phone.page
    _choose_treatment(phone)
    _about_you(page, email=PATIENT_EMAIL)
    _next(phone, "about you")
    page.get_by_label("Fine lines and wrinkles", exact=False).check()
    _next(phone, "goals")
    _health_steps(phone, 1, last=2)
    page.locator("input[name='blood_thinners'][value='yes']").check()
    page.get_by_label("Which medicine, and how much?").fill(MEDICINE)
    _health_step(page, {}, {})
    docs_screenshot(phone, "patient-step-phone")
    _next(phone, "health 3")
    _health_steps(phone, 4)
    _consent(page)
    _next(phone, "consent")

    expect(page.get_by_role("heading", name="A clinician will check your answers")).to_be_visible()
    phone.assert_accessible()
    docs_screenshot(phone, "patient-outcome-phone")
    page.get_by_role("link", name="Hold a time").click()
    page.locator(".slot-grid label").first.click()
    page.get_by_role("button", name="Hold this time").click()
    expect(page.get_by_role("heading", name="Your time is held")).to_be_visible()

    intake = Intake.objects.get(email=PATIENT_EMAIL)
    assert intake.outcome == "review"
    latest = intake.screenings.order_by("-created_at", "-id").first()  # the hold re-screens for its date
    assert list(latest.flags.values_list("rule_code", flat=True)) == ["BLOOD_THINNERS"]
    assert Booking.objects.get(intake=intake).status == BookingStatus.HELD
    return intake


def test_a_clinician_signs_in_with_a_code_and_clears_a_held_intake(phone, desktop):
    seed_calendar()
    # Others in the queue, so the clinician has to pick the right one.
    make_intake(email="bo@example.com", first_name="Bo", last_name="Diddley", answers=REVIEW)
    make_intake(email="cy@example.com", first_name="Cy", last_name="Twombly", answers=NOT_SUITABLE)
    intake = _patient_holds_a_time_needing_review(phone)
    clinician = make_staff("clara", CLINICIAN)
    device = authenticator(clinician)
    run_ready_tasks()  # the patient's receipt and hold notice
    mail.outbox.clear()

    page = desktop.page
    desktop.goto("/staff/")
    enter_password(desktop, "clara", PASSWORD)
    # A wrong code first: refused, with the error on the field, and nothing let through.
    enter_code(desktop, wrong_code_for(device))
    expect(page.get_by_text("That code didn't work")).to_be_visible()
    desktop.assert_accessible()
    desktop.goto("/staff/")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    wait_out_the_throttle(device)
    enter_code(desktop, code_for(device))

    page.wait_for_url(desktop.base_url + "/staff/")
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()
    desktop.assert_accessible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Alex Example"))
    expect(row).to_contain_text(Rule.objects.get(code="BLOOD_THINNERS").name)  # the flag in words (issue 19)
    expect(row).to_contain_text("held, hold ends in")
    expect(page.get_by_role("link", name="Bo Diddley")).to_be_visible()
    docs_screenshot(desktop, "staff-queue-desktop")
    desktop.shot("queue")

    row.get_by_role("link", name="Alex Example").click()
    expect(page.get_by_role("heading", name="Alex Example", level=1)).to_be_visible()
    flags = page.get_by_role("region", name="Flags")
    expect(flags).to_contain_text("BLOOD_THINNERS")
    # The answer behind the flag is marked among the patient's answers.
    flagged = page.get_by_role("region", name="Answers").locator("tr.answer-flagged")
    expect(flagged.filter(has_text="Do you take medicine that thins your blood?")).to_contain_text(
        "Flagged: BLOOD_THINNERS")
    expect(page.get_by_role("row", name=re.compile("Which medicine"))).to_contain_text(MEDICINE)
    booking_section = page.get_by_role("region", name="Booking")
    expect(booking_section).to_contain_text("Held")
    desktop.assert_accessible()
    desktop.shot("intake")

    note = "Spoke to the patient and the GP: INR stable, happy to go ahead with a light depth."
    clear = page.locator("form").filter(has=page.get_by_role("button", name="Clear and confirm the held time"))
    clear.get_by_label("Note for the clinical record").fill(note)
    clear.get_by_role("button").click()

    expect(page.get_by_text("Cleared Alex Example.")).to_be_visible()
    page.wait_for_url(desktop.base_url + "/staff/")
    desktop.assert_accessible()
    page.get_by_role("link", name="Alex Example").click()
    expect(booking_section).to_contain_text("Confirmed")
    expect(booking_section).not_to_contain_text("Held")
    decisions = page.get_by_role("region", name="Decisions")
    expect(decisions).to_contain_text("by clara")
    expect(decisions).to_contain_text(note)
    expect(page.get_by_role("region", name="Decision", exact=True)).to_contain_text("No decision is due.")
    desktop.assert_accessible()
    desktop.shot("cleared")

    booking = Booking.objects.get(intake=intake)
    assert booking.status == BookingStatus.CONFIRMED
    decision = IntakeDecision.objects.get(intake=intake)
    assert (decision.kind, decision.decided_by, decision.note) == (DecisionKind.CLEAR, clinician, note)
    # The patient's emails, written by the decision and sent by the worker.
    run_ready_tasks()
    to_patient = [m for m in mail.outbox if m.to == [PATIENT_EMAIL]]
    subjects = sorted(m.subject for m in to_patient)
    assert subjects[0].startswith("Your answers have been reviewed"), subjects
    assert subjects[1].startswith("Your appointment is confirmed: "), subjects
    confirmation = next(m for m in to_patient if m.subject.startswith("Your appointment is confirmed"))
    assert [name for name, _content, _type in confirmation.attachments] == ["appointment.ics"]
    assert len(to_patient) == 2, subjects
    # Nothing about the other patients was decided or sent.
    assert not IntakeDecision.objects.exclude(intake=intake).exists()
    assert all(m.to == [PATIENT_EMAIL] for m in mail.outbox)


# --- the clinic admin -----------------------------------------------------------------------


def _days_ago(days: int) -> str:
    return date.fromordinal(timezone.localdate().toordinal() - days).isoformat()


def _cells(rows) -> list[list[str]]:
    """The text of each cell of these table rows."""
    return rows.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))")


def _rule_window_days(code: str) -> int:
    return Rule.objects.get(code=code).conditions[0]["value"]


def test_a_superuser_changes_a_rule_window_in_the_admin_previews_and_publishes(desktop):
    # Recent intakes for the preview: three whose isotretinoin was 100 days
    # ago (deferred by the 183-day window, eligible with 90), one 30 days ago
    # (deferred either way, but to an earlier date), and one with none at all.
    for n in range(3):
        make_intake(email=f"iso{n}@example.com", first_name=f"Iso{n}",
                    answers={"isotretinoin_last_taken": _days_ago(100)})
    make_intake(email="recent@example.com", first_name="Recent", answers={"isotretinoin_last_taken": _days_ago(30)})
    make_intake(email="clean@example.com", first_name="Clean")
    assert list(Intake.objects.order_by("outcome").values_list("outcome", flat=True)) == [
        "deferred", "deferred", "deferred", "deferred", "eligible"]
    assert (_rule_window_days("ISOTRETINOIN"), Rule.objects.get(code="ISOTRETINOIN").revision) == (183, 1)
    # The rule drafts of the stock admin stay for superusers (issue 17); clinic admins use /staff/rules/
    # (tests/browser/test_rule_editor.py).
    admin = make_staff("adele", CLINIC_ADMIN, superuser=True)
    device = authenticator(admin)

    page = desktop.page
    sign_in(desktop, "adele", PASSWORD, device, start="/admin/")
    expect(page.get_by_role("heading", name=re.compile("Accounts, roles, audit and security"))).to_be_visible()
    desktop.assert_accessible()

    page.get_by_role("link", name="Rules", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Select rule"))).to_be_visible()
    desktop.assert_accessible()
    page.get_by_role("link", name="ISOTRETINOIN", exact=True).click()
    expect(page.get_by_role("heading", name="ISOTRETINOIN", level=2)).to_be_visible()
    desktop.assert_accessible()

    page.get_by_role("button", name="Start a change").click()
    expect(page.get_by_text("A change to ISOTRETINOIN (published revision 1)")).to_be_visible()
    desktop.assert_accessible()
    desktop.shot("draft")
    draft = RuleDraft.objects.get(code="ISOTRETINOIN", status=RuleDraft.Status.DRAFT)
    assert page.locator("[name='conditions-0-value']").input_value() == "183"

    # Three months instead of six, and the examples that pin the new boundary
    # (the examples are screened on 15 January 2027).
    page.locator("[name='conditions-0-value']").fill("90")
    page.locator("[name='examples-0-answers']").fill('{"isotretinoin_last_taken": "2026-10-18"}')
    page.locator("[name='examples-0-eligible_from']").fill("2027-01-16")
    page.locator("[name='examples-1-answers']").fill('{"isotretinoin_last_taken": "2026-10-17"}')
    # A month is screened as its last day: October 2026 -> 31 October + 90 days.
    page.locator("[name='examples-2-answers']").fill('{"isotretinoin_last_taken": "2026-10"}')
    page.locator("[name='examples-2-eligible_from']").fill("2027-01-29")
    page.get_by_label("Note:", exact=True).fill("Our dermatologist's advice: 3 months is enough.")
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(re.compile(rf"/admin/questionnaire/ruledraft/{draft.pk}/preview/"))
    expect(page.get_by_role("heading", name="Effect on recent intakes")).to_be_visible()
    summary = page.locator("#content-main p").filter(has_text=re.compile(r"^\s*Screened \d"))
    expect(summary).to_contain_text("Screened 5 submitted intakes")
    # Four change: three no longer deferred, and the recent one deferred to an earlier date.
    expect(summary).to_contain_text("4 would get a different outcome")
    transitions = page.locator("#transitions tbody tr")
    expect(transitions).to_have_count(2)
    assert sorted(_cells(transitions)) == [["deferred", "deferred", "1"], ["deferred", "eligible", "3"]]
    changes = page.locator("#changes tbody tr")
    expect(changes).to_have_count(4)
    for n in range(3):
        expect(changes.filter(has_text=f"Iso{n} Example")).to_contain_text(re.compile(r"deferred from [-\d]+\s+eligible"))
    taken = date.fromisoformat(_days_ago(30))
    expect(changes.filter(has_text="Recent Example")).to_contain_text(
        f"deferred from {taken + timedelta(days=183):%Y-%m-%d}")
    expect(changes.filter(has_text="Recent Example")).to_contain_text(
        f"deferred from {taken + timedelta(days=90):%Y-%m-%d}")
    expect(page.locator("#examples")).not_to_contain_text("FAILS")
    expect(page.locator("#problems")).to_have_count(0)
    desktop.assert_accessible()
    desktop.shot("preview")
    # Nothing is live yet.
    assert (_rule_window_days("ISOTRETINOIN"), Rule.objects.get(code="ISOTRETINOIN").revision) == (183, 1)

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published ISOTRETINOIN revision 2.")).to_be_visible()
    expect(page.get_by_role("heading", name="ISOTRETINOIN", level=2)).to_be_visible()
    desktop.assert_accessible()
    desktop.shot("published")

    rule = Rule.objects.get(code="ISOTRETINOIN")
    assert (rule.revision, rule.conditions[0]["value"]) == (2, 90)
    revision = rule.revisions.get(number=2)
    assert (revision.published_by, revision.source) == (User.objects.get(username="adele"), "draft")
    assert revision.note == "Our dermatologist's advice: 3 months is enough."
    draft.refresh_from_db()
    assert draft.status == RuleDraft.Status.PUBLISHED
    # Past screenings keep their outcome; a new intake is screened by revision 2.
    assert Intake.objects.filter(outcome="deferred").count() == 4
    again = make_intake(email="again@example.com", first_name="Again",
                        answers={"isotretinoin_last_taken": _days_ago(100)})
    assert again.outcome == "eligible"


def test_the_admin_pages_with_rows_of_fields_name_every_field(desktop):
    """Calendar and questionnaire pages edit rows of fields (inlines): each field has a name for screen readers.

    A superuser: practitioners are in the stock admin for superusers only (the clinic admin has the set-up pages).
    """
    seed_calendar()
    admin = make_staff("adele", CLINIC_ADMIN, superuser=True)
    device = authenticator(admin)
    sign_in(desktop, "adele", PASSWORD, device, start="/admin/")
    page = desktop.page
    for link in ("Practitioners", "Steps"):
        desktop.goto("/admin/")
        page.get_by_role("link", name=link, exact=True).click()
        page.locator("#result_list tbody a").first.click()
        expect(page.locator("fieldset, .inline-group").first).to_be_visible()
        assert page.locator(".inline-group tbody tr.form-row").count() > 0, link
        desktop.assert_accessible()
