"""What every FHIR resource of ours shares: the naming systems, references, times.

Our codes (question codes, rule codes, treatments) are not in any standard
terminology, so they travel under our own URN systems; a receiving system
maps them if it wants to. Times go out as FHIR instants in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

#: The canonical URL of our intake questionnaire; each published version is ``url|version``.
QUESTIONNAIRE_URL = "urn:clinic-screening:questionnaire:intake"
QUESTION_SYSTEM = "urn:clinic-screening:question"  # a question's code (its linkId too)
CHOICE_SYSTEM = "urn:clinic-screening:choice"  # a choice's code, within its question
RULE_SYSTEM = "urn:clinic-screening:rule"  # a rule's code; the coding's version is its revision
TREATMENT_SYSTEM = "urn:clinic-screening:treatment"
SEVERITY_EXTENSION = "urn:clinic-screening:fhir:severity"  # our own severity beside FHIR's three
NOT_SURE_CODE = "not_sure"


def reference(resource_type: str, resource_id: Any, display: str = "") -> dict[str, str]:
    ref = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        ref["display"] = display
    return ref


def instant(value: datetime | None) -> str | None:
    """A FHIR instant (UTC, seconds), or None."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def fhir_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` without None, "" and empty lists: FHIR forbids empty elements."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
