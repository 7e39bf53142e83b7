"""The outbox: one row per message to a patient, written with the change it reports.

A message is never "sent" by the request that causes it: the request writes
the row (and the task that will send it) in its own transaction, so a
rolled-back change sends nothing, and a slow or broken mail server never
holds up a patient. ``screening.outbox.delivery`` sends it, retrying with a
growing pause; staff see what did not go and can send it again.

The row points at the intake and booking it concerns by id only, like the
audit trail: the outbox sits below the apps that write to it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageKind(models.TextChoices):
    """What the message tells the patient (shown to staff beside a message that did not go)."""

    RESUME_LINK = "intake.resume_link", "Link to continue the form"
    RECEIPT = "intake.receipt", "Answers received"
    BOOKING_CONFIRMED = "booking.confirmed", "Appointment confirmed"
    BOOKING_MOVED = "booking.moved", "Appointment moved"
    BOOKING_HELD = "booking.held", "Time held for review"
    BOOKING_CANCELLED = "booking.cancelled", "Appointment cancelled"
    BOOKING_RELEASED = "booking.released", "Held time released"
    BOOKING_EXPIRED = "booking.expired", "Hold expired"
    REMINDER = "booking.reminder", "Appointment reminder"
    RECHECK = "booking.recheck", "Health check before the visit"
    RECHECK_CANCELLED = "courses.recheck_cancelled", "Appointment cancelled after the health check"
    AFTERCARE = "courses.aftercare", "Aftercare after a session"
    FOLLOW_UP = "courses.follow_up", "How is your skin?"
    DECISION_CLEARED = "review.cleared", "Answers reviewed: all set"
    DECISION_DECLINED = "review.declined", "Answers reviewed: declined"
    DECISION_ASKED = "review.asked", "Question from the clinic"
    RULE_CHANGED = "booking.rule_changed", "A rule changed: the appointment needs a later date"
    STAFF_SIGNIN_ALERT = "staff.signin_alert", "To clinic admins: failed sign-ins at a staff account"
    # Kinds for staff, not a patient: a held time nobody decided is about to be released.
    HOLD_LAPSING = "staff.hold_lapsing", "To clinicians: a held time is about to be released"
    # To the front desk: bookings that a rule change put inside its window.
    RULE_CHANGED_BOOKINGS = "staff.rule_changed", "To the front desk: bookings a rule change affects"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    RETRYING = "retrying", "Not sent yet: trying again"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent"


# Messages staff should look at: the mail server refused or did not answer.
UNDELIVERED = (MessageStatus.RETRYING, MessageStatus.FAILED)


class Message(models.Model):
    kind = models.CharField(max_length=40, choices=MessageKind.choices)
    channel = models.CharField(max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.CharField(max_length=254, help_text="An email address or a phone number.")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # A calendar file (.ics), the only attachment any message carries.
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)

    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    attempted_at = models.DateTimeField(null=True, blank=True, help_text="When the last try began.")
    next_attempt_at = models.DateTimeField(null=True, blank=True, help_text="When the next try is planned.")
    sent_at = models.DateTimeField(null=True, blank=True)

    intake_id = models.BigIntegerField(null=True, blank=True)
    booking_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("resend_message", "Can send a message again")]
        indexes = [
            models.Index(fields=["intake_id"], name="message_intake"),
            models.Index(fields=["booking_id"], name="message_booking"),
            models.Index(fields=["status", "created_at"], name="message_undelivered",
                         condition=Q(status__in=["retrying", "failed"])),
            # The health check's backlog: the oldest message still waiting for the worker.
            models.Index(fields=["created_at"], name="message_waiting", condition=Q(status__in=["queued", "sending"])),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=MessageStatus.values), name="message_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="message_channel_valid"),
            models.CheckConstraint(condition=Q(status="sent", sent_at__isnull=False) | (~Q(status="sent")
                                   & Q(sent_at__isnull=True)), name="message_sent_at_iff_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def undelivered(self) -> bool:
        return self.status in UNDELIVERED


class WorkerHeartbeat(models.Model):
    """When the task worker last showed it was running: one row, written by its heartbeat task.

    ``next_at`` is the run the current chain of heartbeat tasks planned
    next; a heartbeat task that is not that run (a leftover from before a
    restart) beats but plans nothing, so there is only ever one chain.
    """

    beat_at = models.DateTimeField(null=True, blank=True)
    next_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="workerheartbeat_one_row")]

    def __str__(self) -> str:
        return f"worker heartbeat at {self.beat_at}"
