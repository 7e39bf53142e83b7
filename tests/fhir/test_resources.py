"""Every FHIR resource of a demo intake is valid R4B, and says what our records say."""

from __future__ import annotations

import pytest

from screening.fhir.common import QUESTION_SYSTEM, QUESTIONNAIRE_URL, RULE_SYSTEM
from screening.fhir.questionnaire import questionnaire_resource, questionnaire_response_resource
from screening.fhir.resources import (
    appointment_resource,
    detected_issue_resource,
    patient_id,
    patient_resource,
)
from screening.intake.models import Flag
from tests.fhir.conftest import r4b

pytestmark = pytest.mark.django_db


def test_every_resource_of_a_demo_intake_validates_as_r4b(demo):
    intake = demo.intake
    flags = list(Flag.objects.filter(screening__intake=intake))
    assert flags, "the demo intake needs review: it has flags"
    resources = [
        questionnaire_resource(intake.questionnaire_version),
        questionnaire_response_resource(intake, patient_id=patient_id(intake)),
        patient_resource(intake.patient, intake),
        appointment_resource(demo.booking),
        *(detected_issue_resource(flag) for flag in flags),
    ]
    for resource in resources:
        parsed = r4b(resource)
        assert parsed.get_resource_type() == resource["resourceType"]
        # Nothing of ours is lost or renamed on the way through the R4B model.
        assert parsed.model_dump(mode="json", exclude_none=True) == resource


def test_the_response_points_at_its_questionnaire_version_and_patient(demo):
    intake = demo.intake
    response = questionnaire_response_resource(intake, patient_id=patient_id(intake))
    assert response["questionnaire"] == f"{QUESTIONNAIRE_URL}|{intake.questionnaire_version.number}"
    assert response["subject"] == {"reference": f"Patient/{intake.patient.public_id}"}
    assert response["status"] == "completed"
    answered = {item["linkId"]: item["answer"] for group in response["item"] for item in group["item"]}
    # A yes / no question that offers "not sure" is a choice item; one that does not, a boolean.
    assert answered["bleeding_disorder"] == [
        {"valueCoding": {"system": "urn:clinic-screening:choice", "code": "yes", "display": "Yes"}}]
    assert answered["active_acne"] == [{"valueBoolean": False}]
    assert answered["medications"] == [{"valueString": "Tranexamic acid 500mg"}]
    # Every answer's linkId is an item of the questionnaire it names, in the same step.
    questionnaire = questionnaire_resource(intake.questionnaire_version)
    asked = {(group["linkId"], item["linkId"]) for group in questionnaire["item"] for item in group["item"]}
    assert {(group["linkId"], item["linkId"]) for group in response["item"] for item in group["item"]} <= asked


def test_the_patient_is_the_patient_record_with_the_latest_intakes_contact_details(demo):
    record = demo.intake.patient
    patient = patient_resource(record, demo.intake)
    assert patient["id"] == str(record.public_id) != str(demo.intake.public_id)
    assert patient["name"] == [{"use": "usual", "family": "Lovelace", "given": ["Ada"]}]
    assert {"system": "email", "value": "ada@example.com"} in patient["telecom"]
    assert patient["birthDate"] == demo.intake.answers["date_of_birth"] == record.date_of_birth.isoformat()
    assert patient["active"] is True


def test_a_merged_record_is_an_inactive_patient_replaced_by_the_one_kept(demo):
    from screening.patients.models import Patient
    from screening.patients.services import patients_merge

    other = Patient.objects.create(first_name="Ada", last_name="Lovelace")
    patients_merge(keep_id=demo.intake.patient_id, merge_id=other.pk, by=None)
    other.refresh_from_db()
    merged = r4b(patient_resource(other, None))
    assert merged.active is False and merged.name is None
    assert [(link.type, link.other.reference) for link in merged.link] == [
        ("replaced-by", f"Patient/{demo.intake.patient.public_id}")]


def test_a_flag_names_its_rule_revision_severity_and_the_answers_that_fired_it(demo):
    flag = Flag.objects.filter(screening__intake=demo.intake, severity="review").first()
    issue = detected_issue_resource(flag)
    (coding,) = issue["code"]["coding"]
    assert (coding["system"], coding["code"], coding["version"]) == (RULE_SYSTEM, flag.rule_code,
                                                                      str(flag.rule_revision))
    assert issue["severity"] == "moderate" and issue["extension"][0]["valueCode"] == "review"
    pointed = {c["code"] for e in issue["evidence"] for concept in e["code"] for c in concept["coding"]
               if c["system"] == QUESTION_SYSTEM}
    assert pointed == set(flag.evidence) and pointed
    assert all(e["detail"] == [{"reference": f"QuestionnaireResponse/{demo.intake.public_id}"}]
               for e in issue["evidence"])


def test_a_held_booking_is_a_pending_appointment_of_the_patient(demo):
    appointment = appointment_resource(demo.booking)
    assert appointment["status"] == "pending"
    assert appointment["participant"][0] == {"actor": {"reference": f"Patient/{demo.intake.patient.public_id}"},
                                             "status": "tentative"}
    assert appointment["start"].endswith("Z") and appointment["minutesDuration"] > 0
