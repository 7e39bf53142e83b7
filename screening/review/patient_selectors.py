"""The staff patient page: one patient's record and timeline, and the records that may be the same person."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import Http404

from screening.booking.models import Booking
from screening.core.clinic import booking_zone, clinic_zone, zone_note
from screening.courses.models import SkinReport
from screening.intake.models import Intake, Screening
from screening.outbox.models import Message
from screening.patients.models import Patient
from screening.review.models import IntakeDecision

TIMELINE_LIMIT = 300


@dataclass(frozen=True)
class Event:
    """One line of a patient's timeline: when, what kind of thing, what happened, on which intake."""

    at: datetime
    kind: str
    text: str
    intake: Intake | None = None
    detail: str = ""
    appointment: datetime | None = None  # a session's time, in its location's zone (as the patient was told it)
    appointment_zone_note: str = ""  # that zone's name when it is not the clinic's, as the page reads


@dataclass
class PatientRecord:
    patient: Patient
    intakes: list[Intake]
    timeline: list[Event] = field(default_factory=list)
    duplicates: list[Patient] = field(default_factory=list)
    skin_reports: list[SkinReport] = field(default_factory=list)

    @property
    def erased(self) -> bool:
        """Nothing left naming the patient: no address on the record or its sent intakes (an erasure's mark)."""
        return not self.patient.email and not any(intake.email for intake in self.intakes)


def patient_for_staff(*, patient_id: int) -> Patient:
    """The patient; a merged record is still found (its page points at the record kept)."""
    patient = Patient.objects.select_related("merged_into").filter(pk=patient_id).first()
    if patient is None:
        raise Http404("No such patient.")
    return patient


def patient_record(*, patient: Patient, zone: ZoneInfo | None = None) -> PatientRecord:
    """The patient's intakes and everything that happened to them, newest first (``zone``: the page's, the
    clinic's by default; a session elsewhere is shown in its location's zone, named)."""
    zone = zone or clinic_zone()
    intakes = list(Intake.objects.filter(patient=patient, status=Intake.Status.SUBMITTED)
                   .select_related("treatment").defer("answers").order_by("-submitted_at", "-id"))
    by_id = {i.pk: i for i in intakes}
    events: list[Event] = []
    for intake in intakes:
        events.append(Event(intake.submitted_at, "Intake", f"{intake.treatment.name}: intake sent", intake))
    for s in Screening.objects.filter(intake_id__in=by_id).defer("answers").prefetch_related("flags"):
        flags = ", ".join(f.rule_name for f in s.flags.all())
        events.append(Event(s.created_at, "Screening",
                            f"{s.get_reason_display()}: {s.get_outcome_display()} for {s.on_date:%-d %b %Y}",
                            by_id[s.intake_id], detail=flags))
    for b in Booking.objects.filter(intake_id__in=by_id).select_related("practitioner__location"):
        place = booking_zone(b, default=zone)
        events.append(Event(b.created_at, "Session", f"With {b.practitioner.name}: {b.get_status_display()}",
                            by_id[b.intake_id], appointment=b.start.astimezone(place),
                            appointment_zone_note=zone_note(place, zone)))
    for d in IntakeDecision.objects.filter(intake_id__in=by_id).select_related("decided_by"):
        events.append(Event(d.decided_at, "Decision", f"{d.get_kind_display()} by {d.decided_by.get_username()}",
                            by_id[d.intake_id], detail=d.note))
    for m in Message.objects.filter(intake_id__in=by_id).only("kind", "channel", "status", "created_at",
                                                                "intake_id"):
        events.append(Event(m.created_at, "Message",
                            f"{m.get_channel_display()}: {m.get_kind_display()} ({m.get_status_display()})",
                            by_id[m.intake_id]))
    reports = list(SkinReport.objects.filter(patient=patient).select_related("booking", "seen_by"))
    for r in reports:
        events.append(Event(r.reported_at, "Skin report", ", ".join(r.reaction_labels()) or "All well",
                            detail=r.other))
    events.sort(key=lambda e: e.at, reverse=True)
    return PatientRecord(patient=patient, intakes=intakes, timeline=events[:TIMELINE_LIMIT],
                         duplicates=patient_duplicates(patient=patient), skin_reports=reports)


def patient_duplicates(*, patient: Patient) -> list[Patient]:
    """Other records that may be this person: the same date of birth and surname, or the same proven email."""
    if patient.merged_into_id:
        return []
    same = Q(pk__in=[])
    if patient.date_of_birth and patient.last_name:
        same |= Q(date_of_birth=patient.date_of_birth, last_name__iexact=patient.last_name)
    if patient.email:
        same |= Q(email=patient.email)
    return list(Patient.objects.filter(same, merged_into__isnull=True).exclude(pk=patient.pk)[:10])
