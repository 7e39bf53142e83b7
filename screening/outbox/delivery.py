"""Sending one message from the outbox: claim it, send it, record what happened.

Exactly once, whatever the number of workers: the row is locked and moved
from "queued" (or "retrying") to "sending" in a short transaction before
anything leaves, so a second task for the same message finds it taken and
does nothing. The mail server is then talked to outside any transaction,
with ``EMAIL_TIMEOUT`` on the connection, so a hung server costs a worker
that many seconds, never a patient's request.

A failure is kept on the row (``last_error``) and the message is planned
again after a growing pause (``RETRY_MINUTES``); after the last try it is
"failed", and staff see it on the intake and the bookings page.
Once a message has gone, the patient's private links in it are blanked in
the stored copy: they are for the patient's eyes.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from screening.core.clinic import ClinicContact, clinic_contact
from screening.core.log_filters import redact
from screening.outbox.models import Channel, Message, MessageStatus
from screening.outbox.sms import sms_backend

log = logging.getLogger(__name__)

# The pause after each failed try; the message is "failed" after len(RETRY_MINUTES) + 1 tries.
RETRY_MINUTES = (1, 5, 30, 120)
MAX_ATTEMPTS = len(RETRY_MINUTES) + 1


def message_deliver(message_id: int) -> str:
    """Send the message if it is waiting; returns what happened ("sent", "retrying", "failed", "skipped")."""
    with transaction.atomic():
        message = (Message.objects.select_for_update()
                   .filter(pk=message_id, status__in=[MessageStatus.QUEUED, MessageStatus.RETRYING]).first())
        if message is None:
            return "skipped"
        message.status = MessageStatus.SENDING
        message.attempts += 1
        message.attempted_at = timezone.now()
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "attempted_at", "next_attempt_at"])

    try:
        _send(message)
    except Exception as exc:
        return _record_failure(message, exc)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), last_error="",
        body=redact(message.body), attachment=redact(message.attachment),
    )
    return "sent"


def _send(message: Message) -> None:
    if message.channel == Channel.SMS:
        sms_backend().send(message.recipient, message.body)
        return
    contact = clinic_contact()
    email = EmailMessage(subject=message.subject, body=message.body, to=[message.recipient],
                         from_email=sender(contact), reply_to=[contact.replies_to] if contact.replies_to else None,
                         headers={"X-Clinic-Message": str(message.pk)})
    if message.attachment:
        email.attach(message.attachment_name or "appointment.ics", message.attachment, "text/calendar")
    email.send()


def sender(contact: ClinicContact) -> str:
    """The From of an email: the clinic's name (as the profile says it now) before DEFAULT_FROM_EMAIL's address.

    The address stays the deployment's (the one its mail server may send as); the name and the Reply-To
    (the clinic's reply-to address, else its email) are the clinic's, so a patient sees who wrote and
    their reply reaches someone.
    """
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return formataddr((contact.name, address))


def _record_failure(message: Message, exc: Exception) -> str:
    error = (f"{type(exc).__name__}: {exc}".strip(": "))[:500]
    log.warning("Message %s (%s) not sent, try %s: %s", message.pk, message.kind, message.attempts, error)
    with transaction.atomic():
        if message.attempts >= MAX_ATTEMPTS:
            Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED, last_error=error)
            return "failed"
        retry_at = timezone.now() + timedelta(minutes=RETRY_MINUTES[message.attempts - 1])
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.RETRYING, last_error=error,
                                                     next_attempt_at=retry_at)
        send_message.using(run_after=retry_at).enqueue(message_id=message.pk)
    return "retrying"


@task()
def send_message(message_id: int) -> str:
    """The outbox's task (run by the worker, ``manage.py db_worker``): send one message.

    Defined beside the delivery it runs, so a failed try can plan the next one
    in the same transaction as the message's new status.
    """
    return message_deliver(message_id)

