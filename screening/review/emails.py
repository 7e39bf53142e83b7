"""Emails to patients about a clinician's decision. Sent only after commit.

Kind, short, and without medical detail: no answers, no rules, not even the
treatment's name. The clinician's note and question stay behind the link,
where the patient's session shows them.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from screening.booking.emails import when_text
from screening.booking.models import Booking
from screening.core.clinic import clinic_zone
from screening.intake.links import link_url
from screening.intake.models import Intake
from screening.review.models import DeclineReason

log = logging.getLogger(__name__)

SUBJECTS = {
    "cleared": "Your answers have been reviewed",
    "declined": "About your appointment request",
    "asked": "A quick question from the clinic",
}

# What a declined patient reads: kind, plain, and saying nothing clinical.
DECLINE_WORDING = {
    DeclineReason.SEE_DOCTOR: (
        "We would like you to speak with your doctor before having a treatment like this. "
        "If they are happy for you to go ahead, you are very welcome to fill in the form again."
    ),
    DeclineReason.NOT_SAFE_NOW: (
        "From what you told us, we don't think it would be safe for you at the moment. "
        "If things change, you are very welcome to fill in the form again."
    ),
    DeclineReason.OTHER_TREATMENT: (
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
    """Render the email now (inside the decision's transaction) and send it after commit."""
    if not intake.email:
        return
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "first_name": intake.first_name,
        "url": link_url(token) if token else "",
        "link_days": settings.INTAKE_LINK_DAYS,
        "booking": booking,
        "when": when_text(booking.start, booking.end, clinic_zone()) if booking else "",
        "reason_text": DECLINE_WORDING.get(decline_reason, ""),
        "hold_lapsed": hold_lapsed,
    }
    body = render_to_string(f"review/emails/{kind}.txt", context)
    subject, recipient, intake_id = SUBJECTS[kind], intake.email, intake.pk
    transaction.on_commit(lambda: _send(subject, body, recipient, intake_id, kind))


def _send(subject: str, body: str, recipient: str, intake_id: int, kind: str) -> None:
    try:
        send_mail(subject, body, None, [recipient])
    except Exception:  # the decision stands; staff can contact the patient
        log.exception("Could not send the %r decision email for intake %s", kind, intake_id)
