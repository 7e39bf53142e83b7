"""Correcting a patient's email address (staff, e.g. the front desk on the phone): one transaction, audited.

The intake and its upcoming bookings take the new address, so every email
from now on (links, confirmations, reminders) goes there; every link sent to
the old address stops working, and the sessions they opened end
(``links_revoke``). The audit line names no address: who, when, how many links.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking
from screening.intake.links import links_revoke
from screening.intake.models import Intake


class EmailCorrectionError(Exception):
    """An address that is not one, or the one the intake already has."""


def intake_correct_email(*, intake_id: int, email: str, by: Actor) -> Intake:
    address = (email or "").strip()
    try:
        validate_email(address)
    except ValidationError:
        raise EmailCorrectionError("Please enter an email address like name@example.com.") from None
    with transaction.atomic():
        intake = Intake.objects.select_for_update().get(pk=intake_id)
        if intake.email.lower() == address.lower():
            raise EmailCorrectionError("That is the address we already have.")
        revoked = links_revoke(intake=intake, by=by)
        intake.email = address
        if "email" in (intake.answers or {}):  # the form's own copy, shown on the patient's pages
            intake.answers = {**intake.answers, "email": address}
        intake.save(update_fields=["email", "answers", "updated_at"])
        moved = Booking.objects.filter(intake=intake, status__in=ACTIVE_BOOKING_STATUSES).update(
            patient_email=address.lower())
        audit_log(action=AuditAction.EMAIL_CORRECTED, actor=by, target=intake, intake_id=intake.pk,
                  detail=f"{revoked} old link(s) stopped; {moved} booking(s) follow the new address")
    return intake
