"""Emails to patients. Called after commit; never any health detail.

Each email carries only a greeting, what happened and a link: the answers,
the flags and the outcome stay behind the link.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from screening.intake.links import link_url
from screening.intake.models import Intake

log = logging.getLogger(__name__)


def _send(intake: Intake, subject: str, template: str, context: dict) -> None:
    if not intake.email:
        return
    body = render_to_string(
        template,
        {"first_name": intake.first_name, "clinic_name": settings.CLINIC_NAME,
         "link_days": settings.INTAKE_LINK_DAYS, **context},
    )
    try:
        send_mail(subject, body, None, [intake.email])
    except Exception:  # the patient's request already succeeded; staff can resend
        log.exception("Could not send %r email for intake %s", template, intake.pk)


def send_resume_link(intake: Intake, token: str) -> None:
    _send(intake, "Your link to continue your form", "intake/emails/resume_link.txt",
          {"url": link_url(token)})


def send_receipt(intake: Intake, token: str) -> None:
    _send(intake, "We have received your answers", "intake/emails/receipt.txt",
          {"url": link_url(token)})
