"""Issue 17C: the clinic's profile in the calendar file and the emails; no correction under a booking."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from screening.booking.ics import booking_ics
from screening.booking.models import ACTIVE_BOOKING_STATUSES
from screening.booking.services import booking_create
from screening.core.models import ClinicSettings
from screening.intake.correction import (
    ACTIVE_BOOKING,
    CorrectionError,
    correctable_screening_id,
    intake_correct_answers,
)
from tests.booking.conftest import at, today

pytestmark = pytest.mark.django_db


def _profile():
    ClinicSettings.objects.update_or_create(pk=1, defaults={
        "name": "Example Skin Clinic", "phone": "020 7946 0123", "email": "hello@clinic.example",
        "reply_to": "bookings@clinic.example", "address": "12 Example Street\nLondon N1 9XX",
        "cancellation_text": "Please give us 24 hours' notice."})


def test_the_ics_has_the_address_as_location_and_the_phone_in_its_description(make_intake, calendar):
    _profile()
    booking = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk,
                             start=at(today() + timedelta(days=3), 14))
    [event] = Calendar.from_ical(booking_ics(booking, tz=ZoneInfo("Europe/London"))).walk("VEVENT")
    assert str(event["LOCATION"]) == "12 Example Street, London N1 9XX"
    assert "Example Skin Clinic" in str(event["DESCRIPTION"]) and "020 7946 0123" in str(event["DESCRIPTION"])


def test_the_confirmation_comes_from_the_clinic_with_its_reply_to_and_cancellation_policy(
        make_intake, calendar, run_tasks):
    _profile()
    mail.outbox.clear()
    booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=3), 14))
    run_tasks()
    [email] = [m for m in mail.outbox if "confirmed" in m.subject]
    assert email.from_email.startswith("Example Skin Clinic") or "Example Skin Clinic" in email.from_email
    assert email.reply_to == ["bookings@clinic.example"]
    assert "Please give us 24 hours' notice." in email.body and "020 7946 0123" in email.body


def test_a_booked_patient_cannot_correct_their_answers(make_intake, calendar):
    assert set(ACTIVE_BOOKING) == {str(s) for s in ACTIVE_BOOKING_STATUSES}
    intake = make_intake()
    booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=3), 14))
    with pytest.raises(CorrectionError) as error:
        intake_correct_answers(intake_id=intake.pk, corrects=correctable_screening_id(intake), answers={})
    assert error.value.code == "booked"
    assert not intake.screenings.filter(reason="corrected").exists()
