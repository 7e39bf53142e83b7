"""Clearing can leave the patient instructions (issue 19): on their pages, and only a link in the email."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from screening.booking.models import BookingStatus
from tests.conftest import run_pending_on_commit
from tests.staff.conftest import latest_screening, patient_client, staff_client

pytestmark = pytest.mark.django_db

INSTRUCTIONS = "Take your antiviral as prescribed from two days before."


def test_clearing_with_instructions_shows_them_to_the_patient_and_links_to_them_from_the_email(personas):
    client = staff_client(personas.clinician)
    form = client.get(reverse("staff:intake", args=[personas.intake_a.public_id])).content.decode()
    assert "Instructions for the patient (optional)" in form
    mail.outbox.clear()
    response = client.post(reverse("staff:intake_clear", args=[personas.intake_a.public_id]), {
        "screening_id": latest_screening(personas.intake_a).pk, "note": "Cold sores: fine with prophylaxis.",
        "patient_instructions": INSTRUCTIONS})
    assert response.status_code == 302
    personas.booking_a.refresh_from_db()
    assert personas.booking_a.status == BookingStatus.CONFIRMED
    run_pending_on_commit()
    [cleared] = [m for m in mail.outbox if m.subject == "Your answers have been reviewed"]
    assert INSTRUCTIONS not in cleared.body and "antiviral" not in cleared.body  # never the detail itself
    assert "left you a few instructions" in cleared.body
    link = re.search(r"https?://\S+/l/\S+|https?://\S+", cleared.body.split("booking page:")[1]).group(0)
    # The link opens the booking page, where the instructions are.
    patient = patient_client()
    path = re.sub(r"^https?://[^/]+", "", link)
    assert patient.get(path, follow=True).status_code == 200  # "Continue", so mail scanners open nothing
    page = patient.post(reverse("intake:link_continue"), follow=True)
    assert page.redirect_chain[-1][0] == reverse("booking:booking", args=[personas.intake_a.public_id])
    assert INSTRUCTIONS in page.content.decode() and "Before your appointment" in page.content.decode()
    # The patient's session also shows them on the result page.
    outcome = patient_client(personas.intake_a).get(reverse("intake:outcome", args=[personas.intake_a.public_id]))
    assert INSTRUCTIONS in outcome.content.decode()


def test_clearing_without_instructions_says_nothing_of_them(personas):
    staff_client(personas.clinician).post(reverse("staff:intake_clear", args=[personas.intake_b.public_id]), {
        "screening_id": latest_screening(personas.intake_b).pk, "note": "Fine."})
    run_pending_on_commit()
    [cleared] = [m for m in mail.outbox if m.subject == "Your answers have been reviewed"]
    assert "instructions" not in cleared.body
    page = patient_client(personas.intake_b).get(reverse("intake:outcome", args=[personas.intake_b.public_id]))
    assert "Before your appointment" not in page.content.decode()
