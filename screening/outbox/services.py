"""Outbox writes: put a message in the outbox, send one again.

``message_queue`` is called by the service that changes something a patient
must hear about, inside that service's transaction: the row and the task
that sends it commit with the change or not at all.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.outbox.delivery import send_message
from screening.outbox.models import UNDELIVERED, Channel, Message, MessageStatus


class MessageError(Exception):
    """A message that cannot be sent again (already sent, or being sent)."""


def message_queue(
    *,
    kind: str,
    recipient: str,
    body: str,
    subject: str = "",
    channel: str = Channel.EMAIL,
    intake_id: int | None = None,
    booking_id: int | None = None,
    attachment_name: str = "",
    attachment: str = "",
) -> Message | None:
    """Write a message to the outbox and plan its sending; None when there is nobody to send it to."""
    if not recipient:
        return None
    message = Message.objects.create(
        kind=kind, channel=channel, recipient=recipient, subject=subject, body=body,
        attachment_name=attachment_name, attachment=attachment, intake_id=intake_id, booking_id=booking_id,
    )
    send_message.enqueue(message_id=message.pk)
    return message


def message_resend(*, message_id: int, actor: Actor) -> Message:
    """Send a message that did not go, again, now (staff). Audited; the retries start afresh."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status not in UNDELIVERED:
            raise MessageError("This message is not waiting to be sent again.")
        message.status = MessageStatus.QUEUED
        message.attempts = 0
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit_log(action=AuditAction.MESSAGE_RESENT, actor=actor, target=message, intake_id=message.intake_id,
                  detail=f"{message.kind} by {message.channel}")
        send_message.enqueue(message_id=message.pk)
    return message


def messages_mark_stuck(*, older_than_minutes: int = 30, now=None) -> int:
    """Messages left "being sent" by a worker that stopped mid-send: mark them for staff. Returns how many.

    They are not sent again on their own (the mail server may have taken the
    first try); they show as not sent, and staff decide.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=older_than_minutes)
    with transaction.atomic():
        return Message.objects.filter(status=MessageStatus.SENDING, attempted_at__lt=cutoff).update(
            status=MessageStatus.FAILED, last_error="The sender stopped while sending; it may or may not have gone."
        )
