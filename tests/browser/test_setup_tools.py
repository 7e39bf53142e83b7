"""Issue 17: what clinic admins used the stock admin for, now on the set-up pages at 1280 px: medicine terms,
integration keys, erasing a patient from the staff patient page; and /admin/ sends them to the set-up.
axe on every page (0 serious or critical)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from screening.audit.models import AuditAction, AuditEvent
from screening.fhir.models import IntegrationToken
from screening.intake.models import Intake
from screening.questionnaire.models import MedicineTerm
from screening.review.permissions import CLINIC_ADMIN
from tests.browser.staff import authenticator, checked, sign_in
from tests.staff.conftest import PASSWORD, REVIEW, make_intake, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]


def _set_up_nav(page, link: str) -> None:
    page.get_by_role("navigation", name="Set-up").get_by_role("link", name=link).click()


def test_a_clinic_admin_keeps_the_medicine_list_and_integration_keys_and_erases_a_patient(desktop):
    intake = make_intake(email="wendy@example.com", first_name="Wendy", last_name="Walker", answers=REVIEW)
    admin = make_staff("adele", CLINIC_ADMIN)
    sign_in(desktop, "adele", PASSWORD, authenticator(admin), start="/staff/setup/")
    page = desktop.page
    desktop.goto("/admin/")
    # The stock admin is for superusers: a clinic admin lands on the set-up, told why.
    expect(page.get_by_role("heading", name="The clinic's set-up")).to_be_visible()
    expect(page.get_by_text("The Django admin is for system administrators")).to_be_visible()
    expect(page.get_by_role("navigation", name="Staff").get_by_role("link", name="Admin")).to_have_count(0)
    checked(desktop, "set-up home")

    # Medicine terms: a bad class is refused with a clear message, what was typed kept; then saved.
    _set_up_nav(page, "Medicine terms")
    expect(page.get_by_role("heading", name="Medicine terms")).to_be_visible()
    checked(desktop, "medicine terms")
    page.get_by_role("link", name="Add a term").click()
    page.get_by_label("Term").fill("tranexamic acid")
    page.get_by_label("Class").fill("blood thinner")
    page.get_by_label("Source").fill("Our haematologist, 2026")
    page.get_by_role("button", name="Add the term").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.get_by_text("Write the class as one word")).to_be_visible()
    expect(page.get_by_label("Term")).to_have_value("tranexamic acid")
    checked(desktop, "a term refused")
    page.get_by_label("Class").fill("antifibrinolytic")
    page.get_by_role("button", name="Add the term").click()
    expect(page.get_by_text("The medicine list is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="tranexamic acid")).to_be_visible()
    assert MedicineTerm.objects.filter(term="tranexamic acid", term_class="antifibrinolytic").exists()
    page.get_by_role("link", name="tranexamic acid").click()
    checked(desktop, "a term")

    # Integration keys: made (shown once), then revoked.
    _set_up_nav(page, "Integration keys")
    expect(page.get_by_role("heading", name="Integration keys")).to_be_visible()
    checked(desktop, "integration keys")
    page.get_by_label("Which system will use it").fill("Practice EHR")
    page.get_by_role("button", name="Make the key").click()
    secret = page.get_by_label("Key").input_value()
    assert secret.startswith("cs_")
    assert IntegrationToken.objects.get().token_hash == IntegrationToken.hash_of(secret)
    checked(desktop, "a key made")
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_text(secret)).to_have_count(0)
    page.get_by_role("button", name="Revoke the key for Practice EHR").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    checked(desktop, "a key revoked")

    # Erasing a patient, from their record: a wrong address erases nothing; the right one erases.
    desktop.goto(f"/staff/patients/{intake.patient_id}/")
    page.get_by_role("link", name="Erase this patient…").click()
    expect(page.get_by_role("heading", name="Erase this patient")).to_be_visible()
    checked(desktop, "erase a patient")
    page.get_by_label("Type the patient's email address to confirm").fill("someone@else.org")
    page.get_by_role("button", name="Erase this patient").click()
    expect(page.locator("#form-errors")).to_contain_text("nothing was erased")
    checked(desktop, "erasure refused")
    assert Intake.objects.get(pk=intake.pk).first_name == "Wendy"
    page.get_by_label("Type the patient's email address to confirm").fill("wendy@example.com")
    page.get_by_role("button", name="Erase this patient").click()
    expect(page.get_by_text(re.compile(r"The patient is erased: 1 intake\(s\)"))).to_be_visible()
    assert Intake.objects.get(pk=intake.pk).first_name == ""
    assert AuditEvent.objects.filter(action=AuditAction.PATIENT_ERASED, actor=admin).count() == 1
