"""The confirmation's calendar file, and what emails may not say."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from screening.booking.ics import booking_ics
from screening.booking.models import Booking, BookingStatus
from screening.booking.services import (
    booking_cancel,
    booking_confirm_held,
    booking_create,
    booking_move,
    booking_release_held,
    bookings_expire_holds,
)
from screening.core.models import ClinicSettings
from screening.intake.models import Flag
from screening.outbox.models import Message, MessageKind
from screening.questionnaire.models import Outcome, Rule
from tests.booking.conftest import at, today
from tests.conftest import run_pending_on_commit

pytestmark = pytest.mark.django_db


def parse(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_ics_parses_back_with_the_right_start_end_and_time_zone(make_intake, calendar):
    start = at(today() + timedelta(days=3), 14, 30)
    booking = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=start)
    ical, event = parse(booking_ics(booking, tz=ZoneInfo("Europe/London"), manage_url="https://x/y"))
    assert event.start == booking.start and event.end == booking.end
    assert event.start.tzinfo.key == "Europe/London"
    assert event.start.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M") == "14:30"
    assert event.end - event.start == timedelta(minutes=60)
    assert [tz["TZID"] for tz in ical.walk("VTIMEZONE")] == ["Europe/London"]
    assert "DTSTART;TZID=Europe/London:" in booking_ics(booking, tz=ZoneInfo("Europe/London")).decode()
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]) == f"{booking.calendar_uid}@clinic.example"
    assert event["SEQUENCE"] == 0 and str(event["SUMMARY"]) == "Face and neck at Clinic Screening"


def test_the_ics_follows_the_clinic_time_zone_set_in_the_admin(make_intake, calendar,
                                                               django_capture_on_commit_callbacks):
    ClinicSettings.objects.filter(pk=1).update(time_zone="America/New_York")
    new_york = ZoneInfo("America/New_York")
    start = datetime.combine(today() + timedelta(days=3), time(10), tzinfo=new_york)  # opening hours are New York time now
    booking = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=start)
    run_pending_on_commit()
    [(name, data, mimetype)] = mail.outbox[-1].attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    _, event = parse(data if isinstance(data, bytes) else data.encode())
    assert event.start.tzinfo.key == "America/New_York"
    assert event.start == booking.start and event.start.hour == 10


def test_the_confirmation_email_has_the_ics_and_a_manage_link_that_works(make_intake, calendar, client,
                                                                         django_capture_on_commit_callbacks):
    intake = make_intake()
    booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=2), 11))
    run_pending_on_commit()
    message = mail.outbox[-1]
    assert message.to == [intake.email]
    assert "11:00 to 12:00" in message.body and "Anna Baker" in message.body
    link = next(line for line in message.body.splitlines() if line.startswith("https://clinic.example/intake/r/"))
    path = link.removeprefix("https://clinic.example")
    continued = client.get(path, follow=True)
    assert continued.status_code == 200
    landed = client.post(continued.redirect_chain[-1][0] if continued.redirect_chain else path, follow=True)
    assert "Your appointment" in landed.content.decode()
    assert landed.request["PATH_INFO"] == f"/intake/{intake.public_id}/booking/"


def _every_email_of_a_review_patient(make_intake, calendar, capture) -> tuple:
    """A review patient with text answers, through hold, confirm, move, cancel, release and expiry."""
    intake = make_intake(Outcome.REVIEW, answers={"isotretinoin_last_taken": -190})
    anna, ben = calendar["anna"].pk, calendar["ben"].pk
    held = booking_create(intake=intake, practitioner_id=anna, start=at(today() + timedelta(days=4), 10))
    run_pending_on_commit()
    booking_confirm_held(booking_id=held.pk)
    run_pending_on_commit()
    moved = booking_move(intake=intake, practitioner_id=ben, start=at(today() + timedelta(days=5), 10))
    run_pending_on_commit()
    booking_cancel(booking_id=moved.pk)
    run_pending_on_commit()
    second = make_intake(Outcome.REVIEW, email=intake.email, answers={"medications": "Tranexamic acid 500mg"})
    hold2 = booking_create(intake=second, practitioner_id=anna, start=at(today() + timedelta(days=6), 10))
    run_pending_on_commit()
    booking_release_held(booking_id=hold2.pk)
    run_pending_on_commit()
    third = make_intake(Outcome.REVIEW, email=intake.email)
    hold3 = booking_create(intake=third, practitioner_id=anna, start=at(today() + timedelta(days=7), 10))
    run_pending_on_commit()
    Booking.objects.filter(pk=hold3.pk).update(hold_expires_at=held.created_at)
    bookings_expire_holds()
    run_pending_on_commit()
    return intake, second


def test_no_email_carries_health_details(make_intake, calendar, django_capture_on_commit_callbacks):
    intake, second = _every_email_of_a_review_patient(make_intake, calendar, django_capture_on_commit_callbacks)
    subjects = [m.subject for m in mail.outbox]
    kinds = ["holding", "confirmed", "moved", "cancelled", "released"]
    assert all(any(k in s for s in subjects) for k in kinds), subjects
    assert len(mail.outbox) >= 7

    forbidden = set()
    for flag in Flag.objects.filter(screening__intake__in=[intake, second]):
        forbidden |= {flag.patient_message, flag.staff_message, flag.rule_name, flag.rule_code}
    forbidden |= {r.patient_message for r in Rule.objects.filter(code__in=["BLEEDING_DISORDER", "ISOTRETINOIN"])}
    assert any("bleed" in text.lower() for text in forbidden)  # the check has something to find
    for answers in (intake.answers, second.answers):
        for code, value in answers.items():
            if isinstance(value, str) and value and code not in ("email", "first_name"):
                forbidden.add(value)
    # The treatment's name and the patient's first name are asked for (issue 13: greetings and
    # reminders name them); the surname, the answers and anything clinical never appear.
    forbidden |= {"Tranexamic", "Penicillin", "bleeding", "isotretinoin", "Isotretinoin", "acne", "Example"}
    forbidden.discard("")
    for message in mail.outbox:
        texts = [message.subject, message.body] + [
            data.decode() if isinstance(data, bytes) else data for _, data, _ in message.attachments
        ]
        for text in texts:
            for secret in forbidden:
                assert secret not in text, (message.subject, secret)


def test_the_held_notice_has_no_calendar_file_and_says_when_the_hold_ends(make_intake, calendar,
                                                                          django_capture_on_commit_callbacks):
    booking = booking_create(intake=make_intake(Outcome.REVIEW), practitioner_id=calendar["anna"].pk,
                             start=at(today() + timedelta(days=4), 10))
    run_pending_on_commit()
    message = mail.outbox[-1]
    assert booking.status == BookingStatus.HELD
    assert message.attachments == []
    assert "will be released" in message.body


def test_nothing_is_emailed_when_the_booking_transaction_does_not_commit(make_intake, calendar):
    booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk,
                   start=at(today() + timedelta(days=4), 10))
    assert mail.outbox == []  # written to the outbox, sent by the worker once committed
    assert Message.objects.filter(kind=MessageKind.BOOKING_CONFIRMED).count() == 1
