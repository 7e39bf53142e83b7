"""The day view printed for the treatment room (issue 19): Chromium's own print to PDF, one page per patient,
with the patient's name and flags in words."""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.core.clinic import clinic_zone
from screening.core.models import Treatment
from screening.review.permissions import CLINICIAN
from tests.browser.staff import authenticator, sign_in
from tests.staff.conftest import PASSWORD, REVIEW, make_intake, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("second_factor_on")]


def _tomorrow_at(hour: int) -> datetime:
    day = timezone.now().astimezone(clinic_zone()).date() + timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=clinic_zone()).astimezone(UTC)


def test_the_day_view_prints_one_page_per_patient_with_name_and_flags(desktop):
    anna = Practitioner.objects.create(name="Anna Baker")
    anna.treatments.set(Treatment.objects.all())
    patients = [make_intake(email="ada@example.com", first_name="Ada", last_name="Lovelace", answers=REVIEW),
                make_intake(email="eve@example.com", first_name="Eve", last_name="Early")]
    for hour, intake in zip((10, 12), patients):
        Booking.objects.create(intake=intake, practitioner=anna, treatment=intake.treatment,
                               start=_tomorrow_at(hour), end=_tomorrow_at(hour) + timedelta(hours=1),
                               status=BookingStatus.CONFIRMED, patient_email=intake.email)
    flag = patients[0].screenings.get().flags.get(rule_code="BLEEDING_DISORDER").rule_name
    clinician = make_staff("cleo", CLINICIAN)
    sign_in(desktop, "cleo", PASSWORD, authenticator(clinician), start=f"/staff/day/?practitioner={anna.pk}")
    page = desktop.page
    expect(page.get_by_role("heading", name="Anna Baker: today and tomorrow")).to_be_visible()
    desktop.assert_accessible()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    texts = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    assert len(texts) == 2, texts  # one page per patient
    assert "Ada Lovelace" in texts[0] and flag in texts[0]
    assert "Eve Early" in texts[1] and "Ada Lovelace" not in texts[1]
    assert "Sign out" not in " ".join(texts)  # the navigation is not printed
