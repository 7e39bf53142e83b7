"""A demo intake for the FHIR tests: submitted through the real service, flagged, holding a time."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fhir.resources.R4B import get_fhir_model_class

from screening.booking.models import Booking, Practitioner
from screening.core.models import Treatment
from screening.fhir.models import IntegrationToken, TokenScope
from screening.fhir.services import integration_token_create
from screening.intake.models import Intake
from screening.questionnaire.versions import questionnaire_publish
from tests.staff.conftest import REVIEW, hold_time, make_intake


def r4b(resource: dict):
    """The resource parsed by fhir.resources' R4B model of its type: raises if it is not valid R4B."""
    return get_fhir_model_class(resource["resourceType"]).model_validate(resource)


@dataclass
class Demo:
    intake: Intake
    booking: Booking


@pytest.fixture
def demo(db) -> Demo:
    practitioner = Practitioner.objects.create(name="Anna Baker")
    practitioner.treatments.set(Treatment.objects.all())
    intake = make_intake(email="ada@example.com", first_name="Ada", last_name="Lovelace", answers=REVIEW)
    # As intake_start does: the intake answered the version live when it began.
    intake.questionnaire_version, _new = questionnaire_publish()
    intake.save(update_fields=["questionnaire_version"])
    return Demo(intake=intake, booking=hold_time(intake, practitioner=practitioner))


@pytest.fixture
def read_key(db) -> tuple[IntegrationToken, str]:
    return integration_token_create(name="Practice EHR", scope=TokenScope.READ)
