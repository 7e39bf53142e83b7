"""The patient as ``Patient``, each flag as ``DetectedIssue``, a booking as ``Appointment``.

Plain builders: a model instance in, a FHIR R4 JSON dict out, no queries
beyond the instance's own relations (the selectors fetch them together).
"""

from __future__ import annotations

from typing import Any

from screening.booking.models import Booking, BookingStatus
from screening.fhir.common import (
    QUESTION_SYSTEM,
    RULE_SYSTEM,
    SEVERITY_EXTENSION,
    TREATMENT_SYSTEM,
    instant,
    reference,
    without_empty,
)
from screening.fhir.questionnaire import response_id
from screening.intake.models import Flag, Intake
from screening.patients.models import Patient
from screening.questionnaire.models import QuestionKind


def patient_id(intake: Intake) -> str | None:
    """The id of the intake's ``Patient``: its patient record's public id (every sent intake has one)."""
    return str(intake.patient.public_id) if intake.patient_id else None


def patient_reference(intake: Intake) -> dict[str, str] | None:
    found = patient_id(intake)
    return reference("Patient", found) if found else None


def patient_resource(patient: Patient, latest: Intake | None) -> dict[str, Any]:
    """The patient record, with the phone (and, until one is proven, the email) of their latest intake.

    A record merged into another is kept as an inactive Patient pointing at
    the one kept ("replaced-by"): an integration that stored the old id finds
    where the patient went.
    """
    if patient.merged_into_id:
        return {"resourceType": "Patient", "id": str(patient.public_id), "active": False,
                "link": [{"other": reference("Patient", str(patient.merged_into.public_id)), "type": "replaced-by"}]}
    answers = (latest.answers if latest else None) or {}
    phone = answers.get(_codes_of_kind(latest).get(QuestionKind.PHONE, ""), "") if latest else ""
    email = patient.email or (latest.email if latest else "")
    return without_empty({
        "resourceType": "Patient",
        "id": str(patient.public_id),
        "active": True,
        "name": [without_empty({"use": "usual", "family": patient.last_name,
                                "given": [patient.first_name] if patient.first_name else []})],
        "telecom": [
            {"system": system, "value": value}
            for system, value in (("email", email), ("phone", phone))
            if isinstance(value, str) and value
        ],
        "birthDate": patient.date_of_birth.isoformat() if patient.date_of_birth else None,
    })


def _codes_of_kind(intake: Intake) -> dict[str, str]:
    version = intake.questionnaire_version
    questions = ((version.definition if version else None) or {}).get("questions", [])
    return {q.get("kind"): q["code"] for q in questions if q.get("kind") not in (None, "", QuestionKind.NONE)}


# FHIR's three severities; ours travel beside them in an extension.
FHIR_SEVERITY = {"block": "high", "defer": "moderate", "review": "moderate", "info": "low"}


def detected_issue_resource(flag: Flag) -> dict[str, Any]:
    """One flag: the rule (code and revision) that fired, its severity, and the answers that made it fire."""
    screening = flag.screening
    intake = screening.intake
    response = reference("QuestionnaireResponse", response_id(intake))
    return without_empty({
        "resourceType": "DetectedIssue",
        "id": str(flag.pk),
        "extension": [{"url": SEVERITY_EXTENSION, "valueCode": flag.severity}],
        "status": "final",
        "code": {"coding": [{"system": RULE_SYSTEM, "version": str(flag.rule_revision), "code": flag.rule_code,
                             "display": flag.rule_name}], "text": flag.rule_name},
        "severity": FHIR_SEVERITY.get(flag.severity, "moderate"),
        "patient": patient_reference(intake),
        "identifiedDateTime": instant(screening.created_at),
        "implicated": [response],
        "evidence": [
            {"code": [{"coding": [{"system": QUESTION_SYSTEM, "code": str(code)}], "text": _shown(value)}],
             "detail": [response]}
            for code, value in (flag.evidence or {}).items()
        ],
        "detail": flag.staff_message,
    })


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


APPOINTMENT_STATUS = {
    BookingStatus.HELD: "pending",  # provisional until a clinician clears the intake
    BookingStatus.CONFIRMED: "booked",
    BookingStatus.CANCELLED: "cancelled",
    BookingStatus.RELEASED: "cancelled",
    BookingStatus.EXPIRED: "cancelled",
    BookingStatus.MOVED: "cancelled",  # the booking it moved to is its own Appointment
}


def appointment_id(booking: Booking) -> str:
    return str(booking.calendar_uid)


def appointment_resource(booking: Booking) -> dict[str, Any]:
    intake = booking.intake
    participant_status = "tentative" if booking.status == BookingStatus.HELD else "accepted"
    return without_empty({
        "resourceType": "Appointment",
        "id": appointment_id(booking),
        "status": APPOINTMENT_STATUS.get(booking.status, "proposed"),
        "serviceType": [{"coding": [{"system": TREATMENT_SYSTEM, "code": booking.treatment.code,
                                     "display": booking.treatment.name}], "text": booking.treatment.name}],
        "start": instant(booking.start),
        "end": instant(booking.end),
        "minutesDuration": max(1, int((booking.end - booking.start).total_seconds() // 60)),
        "created": instant(booking.created_at),
        "supportingInformation": [reference("QuestionnaireResponse", response_id(intake))],
        "participant": [
            {"actor": patient_reference(intake), "status": participant_status},
            {"actor": {"display": booking.practitioner.name}, "status": "accepted"},
        ],
    })
