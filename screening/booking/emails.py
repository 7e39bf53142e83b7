"""Booking emails: confirmation (.ics and manage link), hold notice, endings.

Built inside the booking transaction (the manage link is issued there) and
sent only after it commits. No health details, ever: an email names the
clinic, the practitioner and the time, and links to the site, where the
patient's session shows the rest. Not even the treatment, whose name can
say why a patient comes.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from screening.booking.errors import long_date
from screening.booking.ics import booking_ics
from screening.booking.models import Booking
from screening.intake.links import link_issue, link_url
from screening.intake.models import AccessLink

log = logging.getLogger(__name__)

SUBJECTS = {
    "confirmed": "Your appointment is confirmed: {when}",
    "moved": "Your appointment has moved: {when}",
    "held": "We are holding a time for you: {when}",
    "cancelled": "Your appointment on {when} is cancelled",
    "released": "Your provisional appointment time has been released",
    "expired": "Your provisional appointment time has been released",
}
WITH_CALENDAR_FILE = {"confirmed", "moved"}
WITH_MANAGE_LINK = {"confirmed", "moved", "held", "cancelled", "expired"}


def when_text(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """Tuesday 3 December 2026, 10:00 to 11:00."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return f"{long_date(local_start.date())}, {local_start:%H:%M} to {local_end:%H:%M}"


def moment_text(moment: datetime, tz: ZoneInfo) -> str:
    """Tuesday 3 December 2026 at 10:00."""
    local = moment.astimezone(tz)
    return f"{long_date(local.date())} at {local:%H:%M}"


def queue_booking_email(booking: Booking, kind: str, *, tz: ZoneInfo, now: datetime) -> None:
    """Build the email for ``kind`` now and send it once the transaction commits."""
    recipient = booking.patient_email or booking.intake.email
    if not recipient:
        return
    manage_url = ""
    if kind in WITH_MANAGE_LINK:
        days_left = max((booking.start - now).days + 2, 1)
        token = link_issue(intake=booking.intake, purpose=AccessLink.Purpose.MANAGE, days=days_left)
        manage_url = link_url(token)
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "when": when_text(booking.start, booking.end, tz),
        "time_zone": str(tz),
        "practitioner": booking.practitioner.name,
        "manage_url": manage_url,
        "hold_expires": moment_text(booking.hold_expires_at, tz) if booking.hold_expires_at else "",
        "book_url": settings.SITE_URL + "/intake/",
    }
    subject = SUBJECTS[kind].format(when=moment_text(booking.start, tz))
    body = render_to_string(f"booking/emails/{kind}.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[recipient])
    if kind in WITH_CALENDAR_FILE:
        message.attach("appointment.ics", booking_ics(booking, tz=tz, manage_url=manage_url, now=now),
                       "text/calendar")
    transaction.on_commit(lambda: _send(message, booking.pk, kind))


def _send(message: EmailMessage, booking_pk: int, kind: str) -> None:
    # The booking stands whether or not the mail server answers; a failure is
    # logged for staff rather than shown to a patient as an error.
    try:
        message.send()
    except Exception:
        log.exception("Could not send the %s email for booking %s", kind, booking_pk)

