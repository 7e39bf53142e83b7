"""Outbox reads for staff pages: the messages that did not go."""

from __future__ import annotations

from django.db.models import QuerySet

from screening.outbox.models import UNDELIVERED, Message


def messages_for_intake(intake_id: int) -> QuerySet[Message]:
    """Every message about one intake, newest first (the intake page lists them)."""
    return Message.objects.filter(intake_id=intake_id).order_by("-created_at", "-id")


def messages_undelivered(*, limit: int = 50) -> list[Message]:
    """Messages the mail server refused or never answered, newest first (the bookings page)."""
    return list(Message.objects.filter(status__in=UNDELIVERED).order_by("-created_at", "-id")[:limit])
