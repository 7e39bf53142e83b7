"""Emails to patients about their form, written to the outbox; never any health detail.

Each email carries only a greeting, what happened and a link: the answers,
the flags and the outcome stay behind the link. Called inside the
transaction that made the change, so a rolled-back change sends nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from screening.core.clinic import contact_context
from screening.core.language import language_override
from screening.intake.links import link_url
from screening.intake.models import Intake
from screening.outbox.models import MessageKind
from screening.outbox.services import message_queue


def _queue(intake: Intake, kind: str, subject, template: str, context: dict) -> None:
    with language_override(intake.language):  # the patient's language, the subject included
        body = render_to_string(
            template,
            {"first_name": intake.first_name, **contact_context(), "link_days": settings.INTAKE_LINK_DAYS,
             **context},
        )
        message_queue(kind=kind, recipient=intake.email, subject=str(subject), body=body, intake_id=intake.pk)


def queue_resume_link(intake: Intake, token: str) -> None:
    _queue(intake, MessageKind.RESUME_LINK, _("Your link to continue your form"), "intake/emails/resume_link.txt",
           {"url": link_url(token)})


def queue_receipt(intake: Intake, token: str) -> None:
    _queue(intake, MessageKind.RECEIPT, _("We have received your answers"), "intake/emails/receipt.txt",
           {"url": link_url(token)})
