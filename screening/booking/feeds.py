"""Practitioners' calendar feeds: an iCalendar subscription behind a secret, revocable link.

``calendar_feed_issue`` makes a new link (the old one stops working) and
returns its token once; only the hash is stored. ``feed_ics`` is what the
practitioner's calendar app reads: their held and confirmed appointments
from a week back to the booking horizon, each named by the treatment and
the clinic, with no patient name and nothing about anyone's health.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.ics import booking_uid
from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking, BookingStatus, CalendarFeed, Practitioner
from screening.booking.selectors import BOOKING_HORIZON_DAYS
from screening.core.clinic import location_zone
from screening.intake.models import AccessLink

PAST_DAYS = 7


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("booking:calendar_feed", args=[token])


def calendar_feed_issue(*, practitioner_id: int, by: Actor, now: datetime | None = None) -> str:
    """A new calendar link for the practitioner (the previous one stops working); returns its token."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        practitioner = Practitioner.objects.select_for_update().get(pk=practitioner_id)
        CalendarFeed.objects.filter(practitioner=practitioner, revoked_at__isnull=True).update(revoked_at=now)
        feed = CalendarFeed.objects.create(practitioner=practitioner, token_hash=AccessLink.hash_token(token),
                                           created_at=now)
        audit_log(action=AuditAction.CALENDAR_LINK_ISSUED, actor=by, target=feed,
                  detail=f"practitioner {practitioner.pk}; any earlier link stopped")
    return token


def calendar_feed_revoke(*, practitioner_id: int, by: Actor, now: datetime | None = None) -> int:
    """Stop the practitioner's calendar link; returns how many were live (0 or 1)."""
    now = now or timezone.now()
    with transaction.atomic():
        count = CalendarFeed.objects.filter(practitioner_id=practitioner_id, revoked_at__isnull=True).update(
            revoked_at=now)
        audit_log(action=AuditAction.CALENDAR_LINK_REVOKED, actor=by, detail=f"practitioner {practitioner_id}")
    return count


def feed_ics(token: str, *, now: datetime | None = None) -> bytes | None:
    """The feed for a live link's token, or None (unknown or revoked: the same answer)."""
    if not token or len(token) > 100:
        return None
    feed = (CalendarFeed.objects.select_related("practitioner__location")
            .filter(token_hash=AccessLink.hash_token(token), revoked_at__isnull=True).first())
    if feed is None:
        return None
    now = now or timezone.now()
    tz = location_zone(feed.practitioner.location)  # the practitioner's times, in their location's zone
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.CLINIC_NAME}//Clinic Screening practitioner feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{settings.CLINIC_NAME}: {feed.practitioner.name}")
    bookings = (Booking.objects.filter(practitioner=feed.practitioner, status__in=ACTIVE_BOOKING_STATUSES,
                                       start__gte=now - timedelta(days=PAST_DAYS),
                                       start__lt=now + timedelta(days=BOOKING_HORIZON_DAYS + 1))
                .select_related("treatment").order_by("start"))
    for booking in bookings:
        event = Event()
        event.add("uid", booking_uid(booking))
        event.add("sequence", booking.sequence)
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", booking.start.astimezone(tz))
        event.add("dtend", booking.end.astimezone(tz))
        held = booking.status == BookingStatus.HELD
        event.add("summary", f"{booking.treatment.name}{' (held, awaiting review)' if held else ''}")
        event.add("status", "TENTATIVE" if held else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
