"""The outbox: messages are rows written with their change, sent by the worker, never lost.

Mail servers here are real sockets on 127.0.0.1: one that refuses (a port
nobody listens on), one that accepts and never answers, and aiosmtpd, a
real SMTP server, for the mail that does go.
"""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.audit.models import AuditAction, AuditEvent
from screening.booking.services import booking_create
from screening.outbox.delivery import MAX_ATTEMPTS, RETRY_MINUTES, message_deliver
from screening.outbox.models import Message, MessageKind, MessageStatus
from screening.outbox.services import MessageError, message_queue, message_resend, messages_mark_stuck
from tests.booking.conftest import at, client_for, slot_value, today
from tests.conftest import run_ready_tasks

pytestmark = pytest.mark.django_db


class Inbox(MessageHandler):
    """aiosmtpd's handler that keeps each message it receives."""

    def __init__(self):
        super().__init__()
        self.received = []

    def handle_message(self, message):
        self.received.append(message)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def free_port() -> int:
    """A port nobody listens on: a mail server that refuses."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def hung_server():
    """A mail server that accepts the connection and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


def use_smtp(settings, port: int, timeout: int = 10) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, timeout
    settings.EMAIL_USE_TLS = False


def book_through_the_page(intake, practitioner, day_offset: int = 3):
    client = client_for(intake)
    started = time.monotonic()
    response = client.post(reverse("booking:book", args=[intake.public_id]),
                           {"slot": slot_value(practitioner, at(today() + timedelta(days=day_offset), 10))})
    return response, time.monotonic() - started


def test_a_rolled_back_transaction_sends_nothing(make_intake, calendar):
    intake = make_intake()
    with pytest.raises(RuntimeError), transaction.atomic():
        booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=3), 10))
        assert Message.objects.filter(intake_id=intake.pk).exists()  # written with the booking...
        raise RuntimeError("the booking's transaction fails after the email was queued")
    assert not Message.objects.filter(intake_id=intake.pk).exists()  # ...and gone with it
    assert run_ready_tasks() == 0
    assert mail.outbox == []


def test_a_committed_booking_is_sent_once_by_the_worker(make_intake, calendar):
    intake = make_intake()
    booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=3), 10))
    [message] = Message.objects.filter(intake_id=intake.pk)
    assert (message.kind, message.status, message.recipient) == (MessageKind.BOOKING_CONFIRMED, "queued", intake.email)
    assert mail.outbox == []  # nothing leaves in the request
    run_ready_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at and message.attempts == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].extra_headers["X-Clinic-Message"] == str(message.pk)
    # The private link went to the patient; the stored copy no longer holds it.
    assert "/intake/r/" in mail.outbox[0].body and "/intake/r/[redacted]" in message.body
    assert message_deliver(message.pk) == "skipped"  # a second task for it sends nothing
    assert len(mail.outbox) == 1


@pytest.mark.manual_tasks
def test_a_refusing_mail_server_loses_nothing_and_staff_can_resend(make_intake, calendar, settings, admin_client,
                                                                  smtp_server):
    use_smtp(settings, free_port())
    intake = make_intake()
    response, seconds = book_through_the_page(intake, calendar["anna"])
    assert response.status_code == 302 and seconds < 2
    assert run_ready_tasks() == 1
    message = Message.objects.get(intake_id=intake.pk)
    assert message.status == MessageStatus.RETRYING and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == pytest.approx(timezone.now() + timedelta(minutes=RETRY_MINUTES[0]),
                                                    abs=timedelta(seconds=30))
    # The front desk sees it on the bookings page and on the intake.
    page = admin_client.get(reverse("staff:bookings")).content.decode()
    assert "Messages not sent" in page and intake.email in page and "ConnectionRefusedError" in page
    detail = admin_client.get(reverse("staff:intake", args=[intake.public_id])).content.decode()
    assert "Appointment confirmed" in detail and "Send again" in detail

    use_smtp(settings, smtp_server.port)  # the mail server is back
    response = admin_client.post(reverse("staff:message_resend", args=[message.pk]),
                                 {"back": str(intake.public_id)})
    assert response.status_code == 302 and response["Location"] == reverse("staff:intake", args=[intake.public_id])
    assert AuditEvent.objects.filter(action=AuditAction.MESSAGE_RESENT, intake_id=intake.pk).count() == 1
    run_ready_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [received] = smtp_server.received
    assert received["To"] == intake.email and received["X-Clinic-Message"] == str(message.pk)
    assert "Messages not sent" not in admin_client.get(reverse("staff:bookings")).content.decode()
    # The planned retry, when its time comes, finds the message sent and does nothing.
    run_ready_tasks(now=timezone.now() + timedelta(minutes=RETRY_MINUTES[0] + 1))
    assert len(smtp_server.received) == 1


@pytest.mark.manual_tasks
def test_a_hung_mail_server_never_holds_up_the_patient(make_intake, calendar, settings, hung_server):
    use_smtp(settings, hung_server, timeout=10)
    intake = make_intake()
    response, seconds = book_through_the_page(intake, calendar["anna"])
    assert response.status_code == 302 and seconds < 2  # the request never talks to the mail server
    settings.EMAIL_TIMEOUT = 1
    started = time.monotonic()
    run_ready_tasks()
    assert time.monotonic() - started < 5  # the worker gave up after EMAIL_TIMEOUT, not 30 s or never
    message = Message.objects.get(intake_id=intake.pk)
    assert message.status == MessageStatus.RETRYING and "timed out" in message.last_error.lower()


def test_after_the_last_try_a_message_is_failed_and_not_tried_again(make_intake, settings):
    use_smtp(settings, free_port())
    message = message_queue(kind=MessageKind.RECEIPT, recipient="pat@example.com", subject="s", body="b")
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        later += timedelta(minutes=max(RETRY_MINUTES) + 1)
        run_ready_tasks(now=later)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == MAX_ATTEMPTS
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert run_ready_tasks(now=later + timedelta(days=1)) == 0


def test_only_a_message_that_did_not_go_can_be_sent_again(make_intake, calendar):
    message = message_queue(kind=MessageKind.RECEIPT, recipient="pat@example.com", subject="s", body="b")
    run_ready_tasks()
    with pytest.raises(MessageError):
        message_resend(message_id=message.pk, actor=None)


def test_front_desk_resending_a_sent_message_is_told_so(make_intake, calendar, admin_client):
    message = message_queue(kind=MessageKind.RECEIPT, recipient="pat@example.com", subject="s", body="b")
    run_ready_tasks()
    response = admin_client.post(reverse("staff:message_resend", args=[message.pk]), follow=True)
    assert response.status_code == 200 and "not waiting to be sent again" in response.content.decode()
    assert admin_client.post(reverse("staff:message_resend", args=[999999]), {"back": "not-a-uuid"}).status_code == 302


def test_a_message_left_half_sent_by_a_stopped_worker_shows_as_not_sent(db):
    message = message_queue(kind=MessageKind.RECEIPT, recipient="pat@example.com", subject="s", body="b")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING,
                                                 attempted_at=timezone.now() - timedelta(hours=1))
    assert messages_mark_stuck() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "may or may not" in message.last_error


def test_the_expire_holds_sweep_also_flags_stuck_messages(db):
    message = message_queue(kind=MessageKind.RECEIPT, recipient="pat@example.com", subject="s", body="b")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING,
                                                 attempted_at=timezone.now() - timedelta(hours=1))
    call_command("expire_holds", stdout=open("/dev/null", "w"))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_patient_pages_promise_sending_not_delivery(make_intake, calendar):
    intake = make_intake()
    client = client_for(intake)
    response = client.post(reverse("booking:book", args=[intake.public_id]),
                           {"slot": slot_value(calendar["anna"], at(today() + timedelta(days=3), 10))})
    page = client.get(response["Location"]).content.decode()  # with the flash message of the booking
    assert page.count("We are sending you an email") == 2 and "emailed" not in page
    response = client.post(reverse("booking:booking_cancel", args=[intake.public_id]))
    page = client.get(response["Location"]).content.decode()
    assert "We are sending you an email to confirm it" in page and "We have sent" not in page
