"""Erasing a patient: everything that names them or tells their health goes; the skeleton stays.

Two ways in. The staff patient page erases one patient record
(``patient_record_erase``): its intakes, the records merged into it, and the
unsent forms from its addresses (a form belongs to no record until it is
sent). Another record that shares an address (a parent and a child, or the
same person not yet merged) is another patient: the page names it and leaves
it alone. The superuser's admin action and the retention sweep
(``screening.review.retention``) erase by email address or by intake
(``patient_erase``). ``_erase`` is the one place that knows what erasing
means: extend it when a new table holds something about a patient (the test
that searches every column of every table, tests/staff/test_erasure.py,
fails until then).

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
from functools import reduce
from operator import or_

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


@dataclass(frozen=True)
class ErasureScope:
    """What erasing one patient record reaches, as its confirmation page shows it and the service erases it."""

    patient: Patient  # the record (the one kept, when the page asked for is merged into it)
    record_ids: frozenset[int]  # the record and every record merged into it
    intake_ids: tuple[int, ...]  # their intakes, and the unsent forms from their addresses
    addresses: frozenset[str]  # lower-cased: the record's and its intakes' email addresses
    others: tuple[Patient, ...]  # other records with an intake from one of these addresses: not erased


def with_merged(patient_ids: set[int]) -> set[int]:
    """These records and every record merged into them (a merged record may have had others merged into it)."""
    found = set(patient_ids)
    while True:
        more = set(Patient.objects.filter(merged_into_id__in=found).exclude(pk__in=found).values_list("pk", flat=True))
        if not more:
            return found
        found |= more


def erasure_scope(patient: Patient) -> ErasureScope:
    """The record ``patient`` is (the one it was merged into, if it was), and what erasing it reaches."""
    seen = {patient.pk}
    while patient.merged_into_id and patient.merged_into_id not in seen:  # a merged record's page names the kept
        seen.add(patient.merged_into_id)
        patient = Patient.objects.get(pk=patient.merged_into_id)
    record_ids = with_merged({patient.pk})
    intakes = Intake.objects.filter(patient_id__in=record_ids)
    addresses = {e.lower() for e in intakes.exclude(email="").values_list("email", flat=True)}
    addresses |= {e.lower() for e in Patient.objects.filter(pk__in=record_ids).exclude(email="")
                  .values_list("email", flat=True)}
    ids = set(intakes.values_list("pk", flat=True))
    others: list[Patient] = []
    if addresses:
        from_them = reduce(or_, (Q(email__iexact=a) for a in sorted(addresses)))
        ids |= set(Intake.objects.filter(from_them, patient__isnull=True).values_list("pk", flat=True))
        others = list(Patient.objects.filter(intakes__in=Intake.objects.filter(from_them)).exclude(pk__in=record_ids)
                      .distinct().order_by("pk"))
    return ErasureScope(patient=patient, record_ids=frozenset(record_ids), intake_ids=tuple(sorted(ids)),
                        addresses=frozenset(addresses), others=tuple(others))


def patient_record_erase(*, patient_id: int, by: Actor) -> Erasure:
    """Erase one patient record (the staff page's "Erase this patient"): see ``erasure_scope``.

    One transaction; the intakes are locked first (then the records, as the retention sweep's erasure
    does: never in the other order), so a patient saving a step at the same moment waits and then finds
    an erased intake. The records themselves go blank too, even one with no intake left.
    """
    with transaction.atomic():
        patient = Patient.objects.get(pk=patient_id)
        scope = erasure_scope(patient)
        intakes = list(Intake.objects.select_for_update().filter(pk__in=scope.intake_ids).order_by("id"))
        erased = _erase(intakes, by=by, action=AuditAction.PATIENT_ERASED)
        blanked = _blank_records(scope.record_ids)
        if not intakes and blanked:
            audit_log(action=AuditAction.PATIENT_ERASED, actor=by, target=patient,
                      detail=f"erased a patient record with no intakes ({blanked} record(s))")
    return erased


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
    _blank_records(with_merged(patient_ids - kept))  # a record merged into it held the same person's details
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


def _blank_records(patient_ids: set[int] | frozenset[int]) -> int:
    """The patient records' own details blanked (the records stay, as the intakes' skeleton does)."""
    return Patient.objects.filter(pk__in=patient_ids).update(first_name="", last_name="", email="",
                                                             date_of_birth=None)
