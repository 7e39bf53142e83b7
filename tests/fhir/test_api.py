"""The read-only FHIR API: an integration key or nothing; each read audited; bad input is an OperationOutcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from screening.audit.models import AuditAction, AuditEvent
from screening.core.clinic import clinic_zone
from screening.fhir.models import IntegrationToken, TokenScope
from screening.fhir.services import integration_token_create, integration_token_revoke
from tests.fhir.conftest import r4b
from tests.staff.conftest import make_staff, staff_client

pytestmark = pytest.mark.django_db


def get(url: str, secret: str | None = None, client: Client | None = None, **params):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return (client or Client()).get(url, params, headers=headers)


def reads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.FHIR_READ).order_by("id"))


def assert_refused(response, status: int) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = r4b(response.json())
    assert outcome.get_resource_type() == "OperationOutcome"


def test_no_key_no_data(demo):
    response = get(f"/fhir/Patient/{demo.intake.patient.public_id}")
    assert_refused(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Lovelace" not in response.content.decode()
    assert not reads()


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic YWRhOnB3", "cs_not-a-key", "Bearer cs_not-a-key"])
def test_a_malformed_or_unknown_key_is_refused(demo, header):
    response = Client().get(f"/fhir/Patient/{demo.intake.patient.public_id}", headers={"Authorization": header})
    assert_refused(response, 401)


def test_a_revoked_key_is_refused(demo, read_key):
    token, secret = read_key
    assert get(f"/fhir/Patient/{demo.intake.patient.public_id}", secret).status_code == 200
    assert integration_token_revoke(token_id=token.pk) is True
    assert integration_token_revoke(token_id=token.pk) is False  # once is enough
    assert_refused(get(f"/fhir/Patient/{demo.intake.patient.public_id}", secret), 401)
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED, object_id=str(token.pk)).count() == 1


def test_a_key_of_the_wrong_scope_is_refused(demo):
    _token, secret = integration_token_create(name="Calendar", scope=TokenScope.APPOINTMENTS)
    assert_refused(get(f"/fhir/QuestionnaireResponse/{demo.intake.public_id}", secret), 403)
    assert_refused(get("/fhir/Patient", secret), 403)
    assert get(f"/fhir/Appointment/{demo.booking.calendar_uid}", secret).status_code == 200


def test_a_signed_in_staff_browser_gets_nothing_without_a_key(demo, personas_admin):
    assert_refused(get(f"/fhir/Patient/{demo.intake.patient.public_id}", client=personas_admin), 401)


@pytest.fixture
def personas_admin(db):
    from screening.review.permissions import CLINIC_ADMIN, roles_install

    roles_install()
    return staff_client(make_staff("adele", CLINIC_ADMIN))


def test_each_read_is_audited_by_key_and_intake_never_with_answers(demo, read_key):
    token, secret = read_key
    for resource_type, resource_id in [("Patient", demo.intake.patient.public_id),
                                       ("QuestionnaireResponse", demo.intake.public_id),
                                       ("Appointment", demo.booking.calendar_uid)]:
        response = get(f"/fhir/{resource_type}/{resource_id}", secret)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
        assert r4b(response.json()).id == str(resource_id)
    lines = reads()
    assert len(lines) == 3
    assert {line.intake_id for line in lines} == {demo.intake.pk}
    assert all(line.actor_label == f"integration {token.pk}: Practice EHR" and line.actor is None for line in lines)
    assert all("Lovelace" not in line.detail and "ada@" not in line.detail for line in lines)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_version_and_its_flags_are_readable(demo, read_key):
    _token, secret = read_key
    version = demo.intake.questionnaire_version.number
    assert r4b(get(f"/fhir/Questionnaire/{version}", secret).json()).version == str(version)
    bundle = r4b(get("/fhir/DetectedIssue", secret, patient=str(demo.intake.patient.public_id)).json())
    assert bundle.total >= 1 and all(e.resource.get_resource_type() == "DetectedIssue" for e in bundle.entry)


def test_a_patients_responses_and_appointments_in_a_date_range(demo, read_key):
    _token, secret = read_key
    patient = str(demo.intake.patient.public_id)
    bundle = r4b(get("/fhir/QuestionnaireResponse", secret, patient=f"Patient/{patient}").json())
    assert bundle.type == "searchset" and bundle.total == 1
    assert bundle.entry[0].resource.id == str(demo.intake.public_id)
    assert get("/fhir/QuestionnaireResponse", secret, patient=str(demo.intake.public_id)).json()["total"] == 0
    day = demo.booking.start.astimezone(clinic_zone()).date()
    inside = get("/fhir/Appointment", secret, date=[f"ge{day}", f"lt{day + timedelta(days=1)}"]).json()
    assert [e["resource"]["id"] for e in inside["entry"]] == [str(demo.booking.calendar_uid)]
    assert get("/fhir/Appointment", secret, date=f"gt{day}").json()["total"] == 0
    assert get("/fhir/Appointment", secret, date=str(day), patient=patient).json()["total"] == 1
    before = len(reads())
    assert get("/fhir/Appointment", secret, date=f"lt{day}").json()["total"] == 0
    assert len(reads()) == before + 1  # an empty answer is a read too


def test_paging_links_to_the_next_page(demo, read_key):
    _token, secret = read_key
    page = get("/fhir/Questionnaire", secret, _count="0").json()
    assert page["total"] >= 1 and page["entry"] == []
    assert [link["relation"] for link in page["link"]] == ["self", "next"]


@pytest.mark.parametrize("path, params, status", [
    ("/fhir/Appointment", {"date": "yesterday"}, 400),
    ("/fhir/Appointment", {"date": "ge2026-02-30"}, 400),
    ("/fhir/Appointment", {"name": "Ada"}, 400),
    ("/fhir/QuestionnaireResponse", {"patient": "not-an-id"}, 400),
    ("/fhir/Patient", {"_count": "-1"}, 400),
    ("/fhir/Patient", {"_offset": "9" * 40}, 400),
    ("/fhir/Observation", {}, 404),
    ("/fhir/Patient/00000000-0000-0000-0000-000000000000", {}, 404),
    ("/fhir/Patient/%00", {}, 404),
    ("/fhir/DetectedIssue/" + "9" * 40, {}, 404),
    ("/fhir/Questionnaire/-1", {}, 404),
])
def test_bad_parameters_get_an_operation_outcome_never_a_500(demo, read_key, path, params, status):
    assert_refused(get(path, read_key[1], **params), status)


def test_the_api_is_read_only(demo, read_key):
    response = Client().post("/fhir/Patient", {}, headers={"Authorization": f"Bearer {read_key[1]}"})
    assert_refused(response, 405)


def test_a_draft_intake_does_not_leave_the_clinic(demo, read_key):
    from screening.intake.models import Intake

    draft = Intake.objects.create(treatment=demo.intake.treatment, first_name="Dee", email="dee@example.com")
    assert_refused(get(f"/fhir/Patient/{draft.public_id}", read_key[1]), 404)
    assert get("/fhir/Patient", read_key[1]).json()["total"] == 1


def test_one_patient_with_two_sent_intakes_is_one_patient_with_both_responses(demo, read_key):
    from tests.staff.conftest import make_intake

    again = make_intake(email="ada@example.com", first_name="Ada", last_name="Lovelace")
    again.patient = demo.intake.patient
    again.save(update_fields=["patient"])
    secret = read_key[1]
    patients = get("/fhir/Patient", secret).json()
    assert [e["resource"]["id"] for e in patients["entry"]] == [str(demo.intake.patient.public_id)]
    patient = demo.intake.patient.public_id
    responses = get("/fhir/QuestionnaireResponse", secret, patient=f"Patient/{patient}").json()
    assert sorted(e["resource"]["id"] for e in responses["entry"]) == sorted(
        [str(demo.intake.public_id), str(again.public_id)])
    # The Patient read is audited against the intake it shows the contact details of: the latest.
    get(f"/fhir/Patient/{patient}", secret)
    assert reads()[-1].intake_id == again.pk


def test_the_capability_statement_needs_no_key_and_lists_what_is_offered():
    response = Client().get("/fhir/metadata")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    statement = r4b(response.json())
    assert statement.fhirVersion == "4.0.1" and statement.kind == "instance"
    offered = {r.type: {p.name for p in (r.searchParam or [])} for r in statement.rest[0].resource}
    assert offered == {"Appointment": {"date", "patient"}, "DetectedIssue": {"patient"}, "Patient": set(),
                       "Questionnaire": set(), "QuestionnaireResponse": {"patient"}}
    assert_refused(Client().post("/fhir/metadata"), 405)


def test_only_a_hash_of_the_key_is_kept(read_key):
    token, secret = read_key
    assert secret.startswith("cs_") and len(secret) > 40
    stored = IntegrationToken.objects.filter(pk=token.pk).values().get()
    assert secret not in {str(value) for value in stored.values()}
    assert stored["token_hash"] == IntegrationToken.hash_of(secret)


HOSTILE = st.one_of(st.text(max_size=80), st.sampled_from(
    ["", "ge", "eq2026-13-01", "9" * 30, "-1", "Patient/", "Patient/../../x", "ge2026-01-01T00:00", "\x00", "%"]))
TYPES = st.sampled_from(["Patient", "Questionnaire", "QuestionnaireResponse", "DetectedIssue", "Appointment",
                         "Observation", "patient", ""])
PARAMS = st.dictionaries(st.sampled_from(["patient", "date", "_count", "_offset", "name", "_id"]), HOSTILE,
                         max_size=4)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(resource_type=TYPES, resource_id=HOSTILE, params=PARAMS)
def test_any_search_or_id_is_an_answer_never_a_500(demo, read_key, resource_type, resource_id, params):
    secret = read_key[1]
    headers = {"Authorization": f"Bearer {secret}"}
    for url in (f"/fhir/{resource_type}", f"/fhir/{resource_type}/{resource_id}".replace("?", "").replace("#", "")):
        response = Client().get(url, params, headers=headers)
        assert response.status_code in (200, 400, 404), (url, params, response.status_code)
        if response["Content-Type"].startswith("application/fhir+json"):  # not a path Django cannot route
            r4b(response.json())
        else:
            assert response.status_code == 404
