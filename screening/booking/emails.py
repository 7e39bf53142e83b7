"""Booking emails (confirmation with its calendar file, hold notice, endings, reminders) into the outbox.

Written inside the booking's transaction (the manage link is issued there),
so they leave only if it commits, and by the worker, so a slow mail server
never holds up the patient. No health details, ever: an email names the
clinic, the treatment, the practitioner and the time, and links to the
site, where the patient's session shows the rest.

Times are in the booking's location's zone (``booking_zone``) and the email
names it; a caller may pass ``tz`` only to override that (the tests do).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.booking.errors import long_date
from screening.booking.ics import REQUEST, booking_ics
from screening.booking.models import Booking
from screening.booking.pre_care import pre_care_sentence
from screening.booking.selectors import booking_contact
from screening.core.clinic import booking_zone, clinic_profile, clinic_zone, contact_context, zone_note
from screening.core.language import language_override
from screening.core.wordings import clinic_texts, treatment_words
from screening.intake.links import link_issue, link_url
from screening.intake.models import AccessLink
from screening.outbox.models import Channel, MessageKind
from screening.outbox.services import message_queue
from screening.rules import pre_care

SUBJECTS = {
    "confirmed": gettext_lazy("Your appointment is confirmed: {when}"),
    "moved": gettext_lazy("Your appointment has moved: {when}"),
    "held": gettext_lazy("We are holding a time for you: {when}"),
    "cancelled": gettext_lazy("Your appointment on {when} is cancelled"),
    "cancelled_by_clinic": gettext_lazy("About your appointment on {when}"),
    "released": gettext_lazy("Your provisional appointment time has been released"),
    "expired": gettext_lazy("Your provisional appointment time has been released"),
    "reminder": gettext_lazy("Reminder: your appointment on {when}"),
}
KINDS = {
    "confirmed": MessageKind.BOOKING_CONFIRMED, "moved": MessageKind.BOOKING_MOVED,
    "held": MessageKind.BOOKING_HELD, "cancelled": MessageKind.BOOKING_CANCELLED,
    "cancelled_by_clinic": MessageKind.BOOKING_CANCELLED,
    "released": MessageKind.BOOKING_RELEASED, "expired": MessageKind.BOOKING_EXPIRED,
    "reminder": MessageKind.REMINDER,
}
# The permission of whoever may decide an intake (screening.review.permissions.DECIDE; review sits above booking).
CLINICIANS_DECIDE = "review.decide_intake"
WITH_MANAGE_LINK = {"confirmed", "moved", "held", "cancelled", "cancelled_by_clinic", "expired", "reminder"}


def when_text(start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """Tuesday 3 December 2026, 10:00 to 11:00 (in the active language)."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return _("{date}, {start} to {end}").format(date=long_date(local_start.date()), start=f"{local_start:%H:%M}",
                                                end=f"{local_end:%H:%M}")


def moment_text(moment: datetime, tz: ZoneInfo) -> str:
    """Tuesday 3 December 2026 at 10:00 (in the active language)."""
    local = moment.astimezone(tz)
    return _("{date} at {time}").format(date=long_date(local.date()), time=f"{local:%H:%M}")


def when_named(start: datetime, end: datetime, tz: ZoneInfo, *, clinic: ZoneInfo | None = None) -> str:
    """``when_text``, naming the zone ("..., 10:00 to 11:00 (Europe/Madrid time)") when it is not the clinic's."""
    return _named(when_text(start, end, tz), tz, clinic)


def moment_named(moment: datetime, tz: ZoneInfo, *, clinic: ZoneInfo | None = None) -> str:
    """``moment_text``, naming the zone when it is not the clinic's."""
    return _named(moment_text(moment, tz), tz, clinic)


def _named(text: str, tz: ZoneInfo, clinic: ZoneInfo | None) -> str:
    note = zone_note(tz, clinic or clinic_zone())
    return _("%(when)s (%(time_zone)s time)") % {"when": text, "time_zone": note} if note else text


def queue_booking_email(booking: Booking, kind: str, *, now: datetime, tz: ZoneInfo | None = None,
                        calendar: str | None = None) -> None:
    """Write the email for ``kind`` to the outbox, in the patient's language; ``calendar`` (REQUEST or CANCEL)
    attaches the .ics."""
    with language_override(booking.intake.language):
        _queue_booking_email(booking, kind, tz=tz or booking_zone(booking), now=now, calendar=calendar)


def _queue_booking_email(booking: Booking, kind: str, *, tz: ZoneInfo, now: datetime, calendar: str | None) -> None:
    recipient = booking.patient_email or booking.intake.email
    if not recipient:
        return
    context = _context(booking, kind, tz=tz, now=now)
    if calendar is None and kind in ("confirmed", "moved"):
        calendar = REQUEST
    attachment = ""
    if calendar:
        ics = booking_ics(booking, tz=tz, manage_url=context["manage_url"], now=now, method=calendar)
        attachment = ics.decode()
    message_queue(
        kind=KINDS[kind], recipient=recipient, subject=str(SUBJECTS[kind]).format(when=moment_text(booking.start, tz)),
        body=render_to_string(f"booking/emails/{kind}.txt", context),
        intake_id=booking.intake_id, booking_id=booking.pk,
        attachment_name="appointment.ics" if attachment else "", attachment=attachment,
    )


def queue_reminder(booking: Booking, *, now: datetime, tz: ZoneInfo | None = None) -> None:
    """The reminder email, and a text to a patient who gave a mobile number for them."""
    tz = tz or booking_zone(booking)
    queue_booking_email(booking, "reminder", tz=tz, now=now)
    if not booking.sms_phone:
        return
    with language_override(booking.intake.language):
        context = _context(booking, "reminder", tz=tz, now=now, with_link=False)
        text = _("Reminder from {clinic_name}: {treatment} on {when} with {practitioner}.").format(**context)
        text += " " + (_("To move or cancel, see your reminder email or call {clinic_phone}.").format(**context)
                       if context["clinic_phone"] else _("To move or cancel, see your reminder email."))
        message_queue(kind=MessageKind.REMINDER, channel=Channel.SMS, recipient=booking.sms_phone, body=text,
                      intake_id=booking.intake_id, booking_id=booking.pk)


def pre_care_lines(booking: Booking, *, tz: ZoneInfo | None = None) -> list[str]:
    """The patient's own pre-care for this appointment, read back from the live rules' windows."""
    from screening.questionnaire.selectors import live_questionnaire

    tz = tz or booking_zone(booking)
    day = booking.start.astimezone(tz).date()
    today = timezone.now().astimezone(tz).date()
    lines = pre_care(live_questionnaire().rule_specs, treatment=booking.treatment.code, appointment=day)
    return [pre_care_sentence(line, today=today) for line in lines]


def queue_recheck(booking: Booking, *, now: datetime, tz: ZoneInfo | None = None) -> None:
    """The short health check before the visit: a link to it, good until the appointment."""
    tz = tz or booking_zone(booking)
    recipient = booking.patient_email or booking.intake.email
    if not recipient:
        return
    days_left = max((booking.start - now).days + 1, 1)
    token = link_issue(intake=booking.intake, purpose=AccessLink.Purpose.RECHECK, days=days_left)
    with language_override(booking.intake.language):
        context = {**_context(booking, "recheck", tz=tz, now=now, with_link=False), "check_url": link_url(token)}
        message_queue(
            kind=MessageKind.RECHECK, recipient=recipient,
            subject=_("A one-minute health check before your appointment on {when}").format(
                when=moment_text(booking.start, tz)),
            body=render_to_string("booking/emails/recheck.txt", context),
            intake_id=booking.intake_id, booking_id=booking.pk,
        )


def _context(booking: Booking, kind: str, *, tz: ZoneInfo, now: datetime, with_link: bool = True) -> dict:
    manage_url = ""
    if with_link and kind in WITH_MANAGE_LINK:
        days_left = max((booking.start - now).days + 2, 1)
        token = link_issue(intake=booking.intake, purpose=AccessLink.Purpose.MANAGE, days=days_left)
        manage_url = link_url(token)
    profile = clinic_profile()
    return {
        "pre_care": pre_care_lines(booking, tz=tz),
        "pre_care_text": clinic_texts(profile).pre_care_text,
        "first_name": booking.intake.first_name,
        **contact_context(booking_contact(booking, profile)),  # the address: the practitioner's location's
        "treatment": treatment_words(booking.treatment).name,
        "when": when_text(booking.start, booking.end, tz),
        "time_zone": str(tz),
        "practitioner": booking.practitioner.name,
        "manage_url": manage_url,
        "hold_expires": moment_text(booking.hold_expires_at, tz) if booking.hold_expires_at else "",
        "book_url": settings.SITE_URL + "/intake/",
    }


def queue_hold_lapsing_alert(booking: Booking, *, tz: ZoneInfo | None = None) -> int:
    """One email per clinician (whoever may decide) with an address: the held time, its end, the intake's link."""
    tz = tz or booking_zone(booking)
    body = render_to_string("booking/emails/hold_lapsing.txt", {
        "clinic_name": settings.CLINIC_NAME,
        "when": when_text(booking.start, booking.end, tz),
        "zone": zone_note(tz, clinic_zone()),  # named when the location's zone is not the clinic's
        "hold_expires": moment_text(booking.hold_expires_at, tz),
        "staff_url": settings.SITE_URL + reverse("staff:intake", args=[booking.intake.public_id]),
    })
    clinicians = get_user_model().objects.with_perm(
        CLINICIANS_DECIDE, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend",
    ).exclude(email="")
    addresses = sorted(set(clinicians.values_list("email", flat=True)))
    for address in addresses:
        message_queue(kind=MessageKind.HOLD_LAPSING, recipient=address, body=body, booking_id=booking.pk,
                      subject=f"A held time is released at {moment_text(booking.hold_expires_at, tz)} "
                              "unless a clinician decides")
    return len(addresses)
