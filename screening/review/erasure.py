"""Erasing a patient: everything that names them or tells their health goes; the skeleton stays.

A patient is every intake sharing one email address (case-insensitive),
with every other intake of the patient records they belong to. ``patient_erase`` is the one place
that knows what erasing means, for the clinic admin's action and for the
retention sweep (``screening.review.retention``) alike: extend it here when
a new table holds something about a patient (the test that searches every
column of every table, tests/security/test_erasure.py, fails until then).

Kept, without anything personal: the intakes' skeleton (treatment, status,
outcome, dates), screenings' outcomes and flags' rule codes, clinicians'
decisions (kind, who, when), bookings as anonymous slots, and the audit
trail (it never held names or health detail). Removed or blanked: answers
and their snapshots, names, contact details, flag evidence and messages,
questions and replies, clinicians' notes, access links, outbox messages.

It lives in review, the highest app that owns any of it (decisions' notes),
because it must reach intake, booking and the outbox alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.models import Booking
from screening.courses.models import SkinReport
from screening.intake.models import AccessLink, Flag, Intake, PatientQuestion, Screening
from screening.outbox.models import Message
from screening.patients.models import Patient
from screening.review.models import IntakeDecision

# What stands where a clinician's words about the patient were.
ERASED = "(erased)"


@dataclass(frozen=True)
class Erasure:
    """What one erasure touched (counts only: the report names nobody)."""

    intakes: int
    bookings: int
    messages: int
    links: int


def patient_erase(*, email: str, by: Actor, action: str = AuditAction.PATIENT_ERASED,
                  intake_ids: list[int] | None = None) -> Erasure:
    """Erase the patient with this email (every intake sharing it), or only ``intake_ids`` (the sweep's).

    One transaction; the intakes are locked first, so a patient saving a
    step at the same moment waits and then finds an erased intake.
    """
    email = email.strip()
    with transaction.atomic():
        qs = Intake.objects.select_for_update()
        if intake_ids is not None:
            qs = qs.filter(pk__in=intake_ids)
        elif email:
            qs = qs.filter(email__iexact=email)
        else:
            return Erasure(0, 0, 0, 0)
        intakes = list(qs.order_by("id"))
        if intake_ids is None:
            # The same person's other intakes (another address, proven before): the record joins them.
            patient_ids = {i.patient_id for i in intakes if i.patient_id}
            intakes += list(Intake.objects.select_for_update().filter(patient_id__in=patient_ids)
                            .exclude(pk__in=[i.pk for i in intakes]).order_by("id"))
        return _erase(intakes, by=by, action=action)


def _erase(intakes: list[Intake], *, by: Actor, action: str) -> Erasure:
    ids = [i.pk for i in intakes]
    if not ids:
        return Erasure(0, 0, 0, 0)
    now = timezone.now()
    emails = {i.email.lower() for i in intakes if i.email}
    bookings = Booking.objects.filter(intake_id__in=ids)
    booking_ids = list(bookings.values_list("id", flat=True))
    phones = {p for p in bookings.values_list("sms_phone", flat=True) if p}
    phones |= {str(i.answers.get("phone")) for i in intakes if i.answers.get("phone")}

    Intake.objects.filter(pk__in=ids).update(answers={}, email="", first_name="", last_name="", verified_email="",
                                             patient_instructions="", access_revoked_at=now)
    # A patient record goes blank once none of its intakes is left unerased (the sweep erases some only).
    patient_ids = {i.patient_id for i in intakes if i.patient_id}
    kept = set(Intake.objects.filter(patient_id__in=patient_ids).exclude(pk__in=ids)
               .values_list("patient_id", flat=True))
    Patient.objects.filter(pk__in=patient_ids - kept).update(first_name="", last_name="", email="",
                                                             date_of_birth=None)
    SkinReport.objects.filter(booking__intake_id__in=ids).update(reactions=[], other="")
    Screening.objects.filter(intake_id__in=ids).update(answers={})
    Flag.objects.filter(screening__intake_id__in=ids).update(evidence={}, staff_message="", patient_message="",
                                                             error="")
    PatientQuestion.objects.filter(intake_id__in=ids).update(text=ERASED, reply="")
    # A clearance must carry a note (intakedecision_clear_has_note): the note says what became of it.
    IntakeDecision.objects.filter(intake_id__in=ids).exclude(note="").update(note=ERASED)
    links, _ = AccessLink.objects.filter(intake_id__in=ids).delete()
    bookings.update(patient_email="", sms_phone="")
    about = Q(intake_id__in=ids) | Q(booking_id__in=booking_ids)
    for address in emails | phones:
        about |= Q(recipient__iexact=address)
    messages, _ = Message.objects.filter(about).delete()
    for intake in intakes:
        # Ids and counts only: the line outlives the patient's data.
        audit_log(action=action, actor=by, target=intake, intake_id=intake.pk,
                  detail=f"erased with {len(ids)} intake(s) of one patient")
    return Erasure(intakes=len(ids), bookings=len(booking_ids), messages=messages, links=links)
