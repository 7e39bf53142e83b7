"""Emails to patients about a clinician's decision, written to the outbox with the decision.

Kind, short, and without medical detail: no answers, no rules, not even the
treatment's name. The clinician's note and question stay behind the link,
where the patient's session shows them.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from screening.booking.emails import when_named
from screening.booking.models import Booking
from screening.core.clinic import booking_zone, contact_context
from screening.core.language import language_override
from screening.intake.links import link_url
from screening.intake.models import Intake
from screening.outbox.models import MessageKind
from screening.outbox.services import message_queue
from screening.review.models import DeclineReason

SUBJECTS = {
    "cleared": _("Your answers have been reviewed"),
    "declined": _("About your appointment request"),
    "asked": _("A quick question from the clinic"),
}
KINDS = {"cleared": MessageKind.DECISION_CLEARED, "declined": MessageKind.DECISION_DECLINED,
         "asked": MessageKind.DECISION_ASKED}

# What a declined patient reads: kind, plain, and saying nothing clinical.
DECLINE_WORDING = {
    DeclineReason.SEE_DOCTOR: _(
        "We would like you to speak with your doctor before having a treatment like this. "
        "If they are happy for you to go ahead, you are very welcome to fill in the form again."
    ),
    DeclineReason.NOT_SAFE_NOW: _(
        "From what you told us, we don't think it would be safe for you at the moment. "
        "If things change, you are very welcome to fill in the form again."
    ),
    DeclineReason.OTHER_TREATMENT: _(
        "We think a different kind of treatment may suit you better. "
        "Please get in touch and we will be glad to talk it through with you."
    ),
}


def queue_decision_email(
    intake: Intake,
    kind: str,
    *,
    token: str | None = None,
    booking: Booking | None = None,
    decline_reason: str = "",
    hold_lapsed: bool = False,
) -> None:
    """Render the email now, inside the decision's transaction, into the outbox."""
    if not intake.email:
        return
    with language_override(intake.language):
        _queue(intake, kind, token=token, booking=booking, decline_reason=decline_reason, hold_lapsed=hold_lapsed)


def _queue(intake: Intake, kind: str, *, token: str | None, booking: Booking | None, decline_reason: str,
           hold_lapsed: bool) -> None:
    context = {
        **contact_context(),
        "first_name": intake.first_name,
        "url": link_url(token) if token else "",
        "link_days": settings.INTAKE_LINK_DAYS,
        "booking": booking,
        "when": when_named(booking.start, booking.end, booking_zone(booking)) if booking else "",
        "reason_text": str(DECLINE_WORDING.get(decline_reason, "")),
        "hold_lapsed": hold_lapsed,
        "has_instructions": bool(intake.patient_instructions),
    }
    body = render_to_string(f"review/emails/{kind}.txt", context)
    message_queue(kind=KINDS[kind], recipient=intake.email, subject=str(SUBJECTS[kind]), body=body,
                  intake_id=intake.pk, booking_id=booking.pk if booking else None)
