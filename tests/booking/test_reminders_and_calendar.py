"""Timers without cron (hold expiry, reminders) and calendar files that update one event.

The clock is moved, not waited for: ``run_tasks(now=...)`` runs the tasks
due by then with the worker's own code.
"""

from __future__ import annotations

import base64
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from screening.booking.models import Booking, BookingStatus
from screening.booking.services import booking_cancel, booking_create, booking_move
from screening.core.models import ClinicSettings
from screening.intake.models import Intake
from screening.outbox import sms
from screening.outbox.models import Message, MessageKind, MessageStatus
from screening.questionnaire.models import Outcome
from tests.booking.conftest import at, client_for, slot_value, today
from tests.booking.test_outbox import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clinic_profile(calendar):
    ClinicSettings.objects.filter(pk=1).update(address="1 High Street\nLondon N1 1AA", phone="020 7946 0000")


def ics_of(message) -> Calendar:
    [(name, data, mimetype)] = message.attachments
    assert (name, mimetype) == ("appointment.ics", "text/calendar")
    return Calendar.from_ical(data if isinstance(data, bytes) else data.encode())


def reminders_planned(booking) -> list[int]:
    return sorted(
        row.args_kwargs["kwargs"]["hours_before"]
        for row in DBTaskResult.objects.filter(status="READY", task_path__endswith="booking_send_reminder",
                                               args_kwargs__kwargs__booking_id=booking.pk)
    )


def test_a_move_then_a_cancel_send_three_calendar_files_for_one_event(make_intake, calendar, run_tasks):
    intake = make_intake()
    booking = booking_create(intake=intake, practitioner_id=calendar["anna"].pk,
                             start=at(today() + timedelta(days=3), 10))
    moved = booking_move(intake=intake, practitioner_id=calendar["ben"].pk, start=at(today() + timedelta(days=4), 14))
    booking_cancel(booking_id=moved.pk)
    run_tasks()
    files = [ics_of(m) for m in mail.outbox if m.attachments]
    assert len(files) == 3
    events = [next(iter(f.walk("VEVENT"))) for f in files]
    assert len({str(e["UID"]) for e in events}) == 1
    assert str(events[0]["UID"]) == f"{booking.calendar_uid}@clinic.example"
    sequences = [int(e["SEQUENCE"]) for e in events]
    assert sequences == sorted(sequences) and len(set(sequences)) == 3
    assert [str(f["METHOD"]) for f in files] == ["REQUEST", "REQUEST", "CANCEL"]
    assert str(events[-1]["STATUS"]) == "CANCELLED"
    assert events[1]["DTSTART"].dt == moved.start  # the second file carries the new time
    for event in events:
        assert str(event["LOCATION"]) == "1 High Street, London N1 1AA"
        assert str(event["SUMMARY"]) == "Face and neck at Clinic Screening"
        assert "Ben" in str(event["DESCRIPTION"]) or "Anna" in str(event["DESCRIPTION"])


def test_a_confirmed_booking_plans_the_clinics_reminders(make_intake, calendar):
    booking = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk,
                             start=at(today() + timedelta(days=5), 10))
    assert reminders_planned(booking) == [3, 48]
    ClinicSettings.objects.filter(pk=1).update(reminder_hours="24")
    other = booking_create(intake=make_intake(), practitioner_id=calendar["ben"].pk,
                           start=at(today() + timedelta(days=5), 10))
    assert reminders_planned(other) == [24]


def test_a_reminder_already_past_is_not_planned(make_intake, calendar):
    tomorrow = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk,
                              start=at(today() + timedelta(days=1), 9))
    hours_away = (tomorrow.start - tomorrow.created_at).total_seconds() / 3600
    assert reminders_planned(tomorrow) == [h for h in (3, 48) if h < hours_away]


def test_the_reminder_arrives_with_the_clinic_the_treatment_and_a_working_move_link(make_intake, calendar, run_tasks,
                                                                                      client):
    intake = make_intake()
    booking = booking_create(intake=intake, practitioner_id=calendar["anna"].pk,
                             start=at(today() + timedelta(days=5), 10))
    run_tasks()  # the confirmation
    mail.outbox.clear()
    run_tasks(now=booking.start - timedelta(hours=47))
    # The health check before the visit goes at the same time (issue 14): the reminder is the other one.
    [reminder] = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert reminder.subject.startswith("Reminder: your appointment on")
    for text in ("Hello Alex,", "Face and neck", "Anna Baker", "1 High Street", "020 7946 0000", "10:00 to 11:00"):
        assert text in reminder.body, text
    link = next(line for line in reminder.body.splitlines() if "/intake/r/" in line).strip()
    landed = client.get(link.removeprefix("https://clinic.example"), follow=True)
    landed = client.post(landed.redirect_chain[-1][0], follow=True) if landed.redirect_chain else landed
    assert landed.request["PATH_INFO"] == reverse("booking:booking", args=[intake.public_id])
    assert client.get(reverse("booking:booking_move", args=[intake.public_id])).status_code == 200
    run_tasks(now=booking.start - timedelta(hours=2))
    assert len([m for m in mail.outbox if m.subject.startswith("Reminder")]) == 2  # and the 3-hour one


def test_moving_replans_the_reminders_and_cancelling_drops_them(make_intake, calendar, run_tasks):
    intake = make_intake()
    first = booking_create(intake=intake, practitioner_id=calendar["anna"].pk,
                           start=at(today() + timedelta(days=5), 10))
    moved = booking_move(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=8), 10))
    assert reminders_planned(first) == [] and reminders_planned(moved) == [3, 48]
    run_tasks()
    mail.outbox.clear()
    run_tasks(now=first.start - timedelta(hours=2))  # the old time's reminders would all be due by now
    assert mail.outbox == []
    booking_cancel(booking_id=moved.pk)
    assert reminders_planned(moved) == []
    run_tasks()
    mail.outbox.clear()
    run_tasks(now=moved.start - timedelta(hours=1))
    assert mail.outbox == []


def test_a_stale_reminder_still_on_the_queue_does_nothing(make_intake, calendar, run_tasks):
    """Had a reminder escaped the drop (a worker already holding it, say), its sequence gives it away."""
    from screening.booking.tasks import booking_send_reminder

    booking = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk,
                             start=at(today() + timedelta(days=5), 10))
    assert booking_send_reminder.call(booking_id=booking.pk, sequence=booking.sequence + 1, hours_before=48) == "stale"
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    assert booking_send_reminder.call(booking_id=booking.pk, sequence=booking.sequence, hours_before=48) == "stale"


def test_a_hold_expires_on_its_own_timer_without_cron(make_intake, calendar, run_tasks):
    held = booking_create(intake=make_intake(Outcome.REVIEW), practitioner_id=calendar["anna"].pk,
                          start=at(today() + timedelta(days=5), 10))
    assert held.status == BookingStatus.HELD
    run_tasks()
    mail.outbox.clear()
    with time_machine.travel(held.hold_expires_at - timedelta(minutes=1), tick=False):
        run_tasks()
    held.refresh_from_db()
    assert held.status == BookingStatus.HELD
    with time_machine.travel(held.hold_expires_at + timedelta(seconds=1), tick=False):
        run_tasks()
    held.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED
    assert mail.outbox[-1].subject == "Your provisional appointment time has been released"
    out = open("/dev/null", "w")
    call_command("expire_holds", stdout=out)  # the safety sweep finds nothing left to do


def test_a_patient_who_asks_for_texts_gets_the_reminder_by_text_too(make_intake, calendar, run_tasks):
    sms.outbox.clear()
    intake = make_intake()
    client = client_for(intake)
    response = client.post(reverse("booking:book", args=[intake.public_id]), {
        "slot": slot_value(calendar["anna"], at(today() + timedelta(days=5), 10)),
        "texts": "on", "mobile": "07700 900123"})
    assert response.status_code == 302
    booking = Booking.objects.get(intake=intake)
    assert booking.sms_phone == "07700900123"
    run_tasks(now=booking.start - timedelta(hours=47))
    [text] = sms.outbox
    assert text.to == "07700900123" and "Face and neck" in text.body and "020 7946 0000" in text.body
    assert "/intake/r/" not in text.body  # no private link in a text
    assert Message.objects.get(channel="sms").status == MessageStatus.SENT


def test_no_texts_without_the_box_ticked_and_a_bad_number_is_refused_kindly(make_intake, calendar, run_tasks):
    sms.outbox.clear()
    intake = make_intake()
    client = client_for(intake)
    slot = slot_value(calendar["anna"], at(today() + timedelta(days=5), 10))
    refused = client.post(reverse("booking:book", args=[intake.public_id]),
                          {"slot": slot, "texts": "on", "mobile": "call me"})
    assert refused.status_code == 400 and "7 to 15 digits" in refused.content.decode()
    assert f'value="{slot}" autocomplete="off" required checked' in refused.content.decode()  # the time stays chosen
    assert not Booking.objects.filter(intake=intake).exists()
    assert client.post(reverse("booking:book", args=[intake.public_id]), {"slot": slot, "mobile": "07700 900123"}
                       ).status_code == 302
    booking = Booking.objects.get(intake=intake)
    assert booking.sms_phone == ""
    run_tasks(now=booking.start - timedelta(hours=1))
    assert sms.outbox == [] and Message.objects.filter(kind=MessageKind.REMINDER, channel="email").count() == 2


class FakeTwilio(BaseHTTPRequestHandler):
    """A local HTTP server answering as Twilio's Messages API does (no network: 127.0.0.1)."""

    requests: list = []
    status = 201

    def do_POST(self):  # noqa: N802 (the handler's naming)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        FakeTwilio.requests.append((self.path, self.headers["Authorization"], parse_qs(body.decode())))
        reply = {"sid": "SM1"} if self.status == 201 else {"code": 21211, "message": "Invalid To"}
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(reply).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def twilio(settings):
    port = free_port()
    server = HTTPServer(("127.0.0.1", port), FakeTwilio)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "screening.outbox.sms.TwilioBackend"
    settings.SMS_API_URL = f"http://127.0.0.1:{port}"
    settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN, settings.SMS_FROM = "AC123", "secret", "+441234567890"
    FakeTwilio.requests, FakeTwilio.status = [], 201
    yield FakeTwilio
    server.shutdown()
    server.server_close()


def test_the_twilio_backend_posts_the_text_to_the_api(twilio, run_tasks):
    from screening.outbox.services import message_queue

    message = message_queue(kind=MessageKind.REMINDER, channel="sms", recipient="+447700900123", body="Hello")
    run_tasks()
    [(path, auth, form)] = twilio.requests
    assert path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert auth == "Basic " + base64.b64encode(b"AC123:secret").decode()
    assert form == {"To": ["+447700900123"], "From": ["+441234567890"], "Body": ["Hello"]}
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_text_the_provider_refuses_is_kept_to_try_again(twilio, run_tasks):
    from screening.outbox.services import message_queue

    twilio.status = 400
    message = message_queue(kind=MessageKind.REMINDER, channel="sms", recipient="+447700900123", body="Hello")
    run_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRYING and "HTTP 400" in message.last_error


def test_plain_text_emails_keep_names_and_addresses_as_written(make_intake, calendar, run_tasks, client):
    """Emails are plain text: nothing in them is HTML-escaped (O'Brien, not O&#x27;Brien)."""
    from screening.intake.services import links_resend

    ClinicSettings.objects.filter(pk=1).update(address="Flat 2, Smith & Sons' Yard\nLondon")
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(first_name="Siobhán O'Brien-<Lee>")
    intake.refresh_from_db()
    links_resend(email=intake.email)
    booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=5), 10))
    run_tasks()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Hello Siobhán O'Brien-<Lee>," in message.body, message.subject
        assert "&#x27;" not in message.body and "&amp;" not in message.body and "&lt;" not in message.body
    assert "Smith & Sons' Yard" in mail.outbox[-1].body


def test_clinicians_are_told_before_an_undecided_hold_is_released(make_intake, calendar, run_tasks):
    from django.contrib.auth.models import Group, User

    clinician = User.objects.create_user("cleo", email="cleo@clinic.example", password="x" * 20)
    clinician.groups.add(Group.objects.get(name="Clinician"))
    desk = User.objects.create_user("desk", email="desk@clinic.example", password="x" * 20)
    desk.groups.add(Group.objects.get(name="Front desk"))
    intake = make_intake(Outcome.REVIEW)
    held = booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=5), 10))
    run_tasks()
    mail.outbox.clear()
    alert_at = held.hold_expires_at - timedelta(hours=3)  # the clinic's default
    with time_machine.travel(alert_at - timedelta(minutes=1), tick=False):
        run_tasks()
    assert mail.outbox == []
    with time_machine.travel(alert_at + timedelta(seconds=1), tick=False):
        run_tasks()
    [alert] = mail.outbox
    assert alert.to == ["cleo@clinic.example"]  # clinicians only: the front desk cannot decide
    assert "released" in alert.subject
    assert f"/staff/intakes/{intake.public_id}/" in alert.body
    # A staff email, but no patient name and no health detail in it.
    assert intake.first_name not in alert.body and intake.last_name not in alert.body
    assert intake.answers.get("medications", "") not in ("", alert.body)
    assert Message.objects.get(recipient="cleo@clinic.example").kind == MessageKind.HOLD_LAPSING


def test_no_alert_for_a_hold_decided_in_time(make_intake, calendar, run_tasks):
    from django.contrib.auth.models import Group, User

    from screening.booking.services import booking_confirm_held

    User.objects.create_user("cleo", email="cleo@clinic.example").groups.add(Group.objects.get(name="Clinician"))
    held = booking_create(intake=make_intake(Outcome.REVIEW), practitioner_id=calendar["anna"].pk,
                          start=at(today() + timedelta(days=5), 10))
    booking_confirm_held(booking_id=held.pk)
    with time_machine.travel(held.hold_expires_at - timedelta(hours=1), tick=False):
        run_tasks()
    assert not Message.objects.filter(kind=MessageKind.HOLD_LAPSING).exists()
