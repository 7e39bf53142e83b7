"""What the FHIR API and the export read: each resource type's records, by id and by simple search.

Only submitted intakes leave the clinic this way (a draft is not a record
yet). Each reader returns ``(resource, intake id)`` pairs, the intake id
being what the audit trail records.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from screening.booking.models import Booking
from screening.core.clinic import clinic_zone
from screening.fhir.common import without_empty
from screening.fhir.questionnaire import questionnaire_resource, questionnaire_response_resource
from screening.fhir.resources import appointment_resource, detected_issue_resource, patient_id, patient_resource
from screening.intake.models import Flag, Intake
from screening.patients.models import Patient
from screening.questionnaire.models import QuestionnaireVersion

Found = tuple[dict[str, Any], int | None]


class SearchError(ValueError):
    """A search parameter we cannot read: the integrator gets a 400 saying which."""


def _intakes() -> QuerySet[Intake]:
    return Intake.objects.filter(status=Intake.Status.SUBMITTED).select_related("questionnaire_version", "patient")


def _patients() -> QuerySet[Patient]:
    """The patient records with a sent intake, each with its sent intakes newest first (one more query a page)."""
    sent = Intake.objects.filter(status=Intake.Status.SUBMITTED)
    return (Patient.objects.filter(merged_into__isnull=True).filter(Exists(sent.filter(patient_id=OuterRef("pk"))))
            .prefetch_related(Prefetch("intakes", to_attr="sent_intakes", queryset=sent.select_related(
                "questionnaire_version").order_by("-submitted_at", "-id"))))


def _flags() -> QuerySet[Flag]:
    return Flag.objects.filter(screening__intake__status=Intake.Status.SUBMITTED).select_related(
        "screening__intake__questionnaire_version", "screening__intake__patient")


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related("intake__patient", "treatment", "practitioner")


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _latest_version_number() -> int | None:
    return QuestionnaireVersion.objects.order_by("-number").values_list("number", flat=True).first()


def _questionnaire(version: QuestionnaireVersion, latest: int | None) -> Found:
    return questionnaire_resource(version, latest=version.number == latest), None


def _response(intake: Intake) -> Found:
    return questionnaire_response_resource(intake, patient_id=patient_id(intake)), intake.pk


def _patient(patient: Patient) -> Found:
    """The record and its latest sent intake (the one the audit line names): a merged record has none."""
    latest = patient.sent_intakes[0] if getattr(patient, "sent_intakes", None) else None
    return patient_resource(patient, latest), latest.pk if latest else None


def _issue(flag: Flag) -> Found:
    return detected_issue_resource(flag), flag.screening.intake_id


def _appointment(booking: Booking) -> Found:
    return appointment_resource(booking), booking.intake_id


# --- by id --------------------------------------------------------------------------


def resource_by_id(resource_type: str, resource_id: str) -> Found | None:
    """One resource, or None when there is no such record (or it does not leave the clinic)."""
    if resource_type == "Questionnaire":
        number = _number(resource_id)
        version = QuestionnaireVersion.objects.filter(number=number).first() if number is not None else None
        return _questionnaire(version, _latest_version_number()) if version else None
    if resource_type == "Patient":
        public_id = _uuid(resource_id)
        if public_id is None:
            return None
        patient = (_patients().filter(public_id=public_id).first()
                   or Patient.objects.filter(public_id=public_id, merged_into__isnull=False)
                   .select_related("merged_into").first())
        return _patient(patient) if patient else None
    if resource_type == "QuestionnaireResponse":
        public_id = _uuid(resource_id)
        intake = _intakes().filter(public_id=public_id).first() if public_id else None
        return _response(intake) if intake else None
    if resource_type == "DetectedIssue":
        pk = _number(resource_id)
        flag = _flags().filter(pk=pk).first() if pk is not None else None
        return _issue(flag) if flag else None
    if resource_type == "Appointment":
        calendar_uid = _uuid(resource_id)
        booking = _bookings().filter(calendar_uid=calendar_uid).first() if calendar_uid else None
        return _appointment(booking) if booking else None
    return None


# --- search --------------------------------------------------------------------------

SEARCH_PARAMS: dict[str, frozenset[str]] = {
    "Questionnaire": frozenset(),
    "Patient": frozenset(),
    "QuestionnaireResponse": frozenset({"patient"}),
    "DetectedIssue": frozenset({"patient"}),
    "Appointment": frozenset({"patient", "date"}),
}
RESOURCE_TYPES = frozenset(SEARCH_PARAMS)
_DATE_PARAM = re.compile(r"(eq|ge|gt|le|lt)?([0-9]{4}-[0-9]{2}-[0-9]{2})")


@dataclass(frozen=True)
class Page:
    resources: list[Found]
    total: int


def search(resource_type: str, params: dict[str, list[str]], *, count: int, offset: int) -> Page:
    """A page of ``resource_type`` matching ``params`` (every value of every parameter must match)."""
    unknown = sorted(set(params) - SEARCH_PARAMS[resource_type])
    if unknown:
        raise SearchError(f"{resource_type} cannot be searched by {', '.join(unknown)}.")
    queryset, build = _searchable(resource_type)
    for value in params.get("patient", []):
        queryset = queryset.filter(_patient_filter(resource_type, value))
    for value in params.get("date", []):
        queryset = queryset.filter(_date_filter(value))
    total = queryset.count()
    rows = list(queryset.order_by("pk")[offset:offset + count])
    latest = _latest_version_number()
    return Page(resources=[build(row, latest) for row in rows], total=total)


def _searchable(resource_type: str) -> tuple[QuerySet, Callable[[Any, int | None], Found]]:
    return {
        "Questionnaire": (QuestionnaireVersion.objects.all(), _questionnaire),
        "Patient": (_patients(), lambda patient, _latest: _patient(patient)),
        "QuestionnaireResponse": (_intakes(), lambda intake, _latest: _response(intake)),
        "DetectedIssue": (_flags(), lambda flag, _latest: _issue(flag)),
        "Appointment": (_bookings(), lambda booking, _latest: _appointment(booking)),
    }[resource_type]


def _patient_filter(resource_type: str, value: str) -> Q:
    public_id = _uuid(value.removeprefix("Patient/"))
    if public_id is None:
        raise SearchError(f"patient={value!r} is not a Patient id.")
    field = {"QuestionnaireResponse": "patient__public_id", "DetectedIssue": "screening__intake__patient__public_id",
             "Appointment": "intake__patient__public_id"}[resource_type]
    return Q(**{field: public_id})


def _date_filter(value: str) -> Q:
    """An Appointment ``date`` parameter: a day of the clinic's calendar, with FHIR's prefixes."""
    found = _DATE_PARAM.fullmatch(value)
    try:
        day = date.fromisoformat(found.group(2)) if found else None
    except ValueError:
        day = None
    if day is None:
        raise SearchError(f"date={value!r} is not a date (YYYY-MM-DD, optionally after eq, ge, gt, le or lt).")
    start = datetime.combine(day, time.min, tzinfo=clinic_zone())
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=clinic_zone())
    return {
        None: Q(start__gte=start, start__lt=end), "eq": Q(start__gte=start, start__lt=end),
        "ge": Q(start__gte=start), "gt": Q(start__gte=end), "le": Q(start__lt=end), "lt": Q(start__lt=start),
    }[found.group(1)]


# --- what the server offers -------------------------------------------------------------

SEARCH_PARAM_TYPES = {"patient": "reference", "date": "date"}
# The release of FHIR R4 our resources are written to (checked with fhir.resources' R4B models).
FHIR_VERSION = "4.0.1"


def capability_statement(*, base_url: str) -> dict[str, Any]:
    """The CapabilityStatement of ``/fhir/``: the types, read and search, and each type's search parameters."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-06",
        "kind": "instance",
        "software": {"name": "Clinic Screening"},
        "implementation": {"description": "Read-only FHIR API of the clinic's screenings", "url": base_url},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json"],
        "rest": [{
            "mode": "server",
            "security": {"description": "Authorization: Bearer <integration key>, made by a clinic admin."},
            "resource": [
                without_empty({"type": name, "interaction": [{"code": "read"}, {"code": "search-type"}],
                               "searchParam": [{"name": param, "type": SEARCH_PARAM_TYPES[param]}
                                               for param in sorted(params)]})
                for name, params in sorted(SEARCH_PARAMS.items())
            ],
        }],
    }


# --- the export ------------------------------------------------------------------------


def every_resource(resource_type: str, *, batch: int = 500) -> Iterator[Found]:
    """Every record of a type, a batch at a time, in id order (the bulk export)."""
    queryset, build = _searchable(resource_type)
    latest = _latest_version_number()
    last_pk = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:batch])
        if not rows:
            return
        for row in rows:
            yield build(row, latest)
        last_pk = rows[-1].pk
