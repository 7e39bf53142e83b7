"""After a session: the clinic's aftercare, and a few days later "how is your skin?".

Marking a session done (screening.courses.sessions) emails the aftercare and
plans the follow-up task (``course_send_follow_up``) for the clinic's number
of days after the session. The patient's answer is a SkinReport. Reported
reactions are a task for a clinician (the staff queue and the patient page
list them until one marks them seen), and they feed the next screening: the
intake's answer to the previous-reaction question becomes yes, so the
default rule PREVIOUS_REACTION asks for review at the next check or session.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.emails import when_named
from screening.booking.models import Booking, BookingStatus
from screening.core.clinic import booking_zone, clinic_profile, contact_context
from screening.core.language import language_override
from screening.core.wordings import clinic_texts, treatment_words
from screening.courses.models import Reaction, SkinReport
from screening.intake.links import link_issue, link_url
from screening.intake.models import AccessLink, Intake
from screening.outbox.models import MessageKind
from screening.outbox.services import message_queue

#: The question whose answer a reported reaction sets: the default rule PREVIOUS_REACTION reads it.
REACTION_QUESTION = "previous_reaction"


class FollowUpError(Exception):
    """A report that cannot be taken; the message is safe to show."""


def follow_up_start(booking: Booking, *, now: datetime) -> None:
    """The session is done: the aftercare email now, the skin check planned (in the marking's transaction)."""
    from screening.courses.tasks import course_send_follow_up

    profile = clinic_profile()
    _email(booking, MessageKind.AFTERCARE, _("Looking after your skin after today's treatment"), "aftercare.txt",
           aftercare=clinic_texts(profile, booking.intake.language).aftercare_text)
    course_send_follow_up.using(run_after=booking.start + timedelta(days=profile.follow_up_days)).enqueue(
        booking_id=booking.pk)


def follow_up_send(*, booking_id: int) -> str:
    """Send the skin check for a session done, unless the patient has already answered it."""
    with transaction.atomic():
        booking = (Booking.objects.select_for_update(of=("self",)).select_related("intake", "treatment")
                   .filter(pk=booking_id, status=BookingStatus.COMPLETED).first())
        if booking is None or SkinReport.objects.filter(booking=booking).exists():
            return "nothing to do"
        token = link_issue(intake=booking.intake, purpose=AccessLink.Purpose.FOLLOW_UP, days=14)
        _email(booking, MessageKind.FOLLOW_UP, _("How is your skin?"), "follow_up.txt", check_url=link_url(token))
    return "queued"


def follow_up_booking(intake: Intake) -> Booking | None:
    """The intake's latest session done that has no skin report yet."""
    return (intake.bookings.filter(status=BookingStatus.COMPLETED, skin_report__isnull=True)
            .order_by("-start").first())


def skin_report(*, booking_id: int, reactions: Sequence[str], other: str = "", actor: Actor | None = None,
                now: datetime | None = None) -> SkinReport:
    """The patient's answer: stored once per session; a reaction is written into the intake's answers; audited."""
    now = now or timezone.now()
    reactions = [r for r in Reaction.values if r in set(reactions)]
    try:
        with transaction.atomic():
            booking = Booking.objects.select_related("intake").get(pk=booking_id, status=BookingStatus.COMPLETED)
            intake = Intake.objects.select_for_update().get(pk=booking.intake_id)
            report = SkinReport.objects.create(patient_id=intake.patient_id, booking=booking, reactions=reactions,
                                               other=(other or "").strip()[:1000], reported_at=now)
            if reactions:
                intake.answers = {**intake.answers, REACTION_QUESTION: True}
                intake.save(update_fields=["answers", "updated_at"])
            audit_log(action=AuditAction.SKIN_REPORTED, actor=actor, target=report, intake_id=intake.pk,
                      detail=f"{len(reactions)} reaction(s)")
            return report
    except IntegrityError:
        raise FollowUpError(_("Thank you: we already have your answer about this session.")) from None


def skin_report_seen(*, report_id: int, by: Actor, now: datetime | None = None) -> SkinReport:
    """A clinician has seen the report (and acted on it): off the list; audited. Twice is a no-op."""
    now = now or timezone.now()
    with transaction.atomic():
        report = SkinReport.objects.select_for_update().select_related("booking").get(pk=report_id)
        if report.seen_at is None:
            report.seen_at, report.seen_by = now, by.user
            report.save(update_fields=["seen_at", "seen_by"])
            audit_log(action=AuditAction.SKIN_REPORT_SEEN, actor=by, target=report,
                      intake_id=report.booking.intake_id)
    return report


def skin_reports_to_see(limit: int = 50) -> list[SkinReport]:
    """Reports with a reaction no clinician has seen yet, oldest first: the clinicians' task list."""
    return list(SkinReport.objects.filter(seen_at__isnull=True).exclude(reactions=[])
                .select_related("patient").order_by("reported_at")[:limit])


def _email(booking: Booking, kind: str, subject, template: str, **context) -> None:
    recipient = booking.patient_email or booking.intake.email
    if not recipient:
        return
    with language_override(booking.intake.language):
        body = render_to_string(f"courses/emails/{template}", {
            "first_name": booking.intake.first_name, "treatment": treatment_words(booking.treatment).name,
            "when": when_named(booking.start, booking.end, booking_zone(booking)), **contact_context(), **context})
        message_queue(kind=kind, recipient=recipient, subject=str(subject), body=body, intake_id=booking.intake_id,
                      booking_id=booking.pk)
