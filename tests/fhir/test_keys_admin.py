"""Clinic admins make an integration key in the Django admin (its secret shown once) and revoke it there."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from screening.audit.models import AuditAction, AuditEvent
from screening.fhir.models import IntegrationToken
from screening.review.permissions import CLINIC_ADMIN, CLINICIAN, roles_install
from tests.staff.conftest import make_staff, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db) -> Client:
    roles_install()
    return staff_client(make_staff("adele", CLINIC_ADMIN))


def test_a_clinic_admin_makes_a_key_and_sees_it_once(admin_client, demo):
    response = admin_client.post("/admin/fhir/integrationtoken/add/", {"name": "Practice EHR", "scope": "read"})
    assert response.status_code == 200
    secret = re.search(r'value="(cs_[^"]+)"', response.content.decode()).group(1)
    token = IntegrationToken.objects.get()
    assert token.token_hash == IntegrationToken.hash_of(secret) and token.created_by.username == "adele"
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED, object_id=str(token.pk)).exists()
    # It opens the API; the admin's pages never show it again.
    api = Client().get(f"/fhir/Patient/{demo.intake.patient.public_id}", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    for page in ("/admin/fhir/integrationtoken/", f"/admin/fhir/integrationtoken/{token.pk}/change/"):
        shown = admin_client.get(page)
        assert shown.status_code == 200 and secret not in shown.content.decode()


def test_a_clinic_admin_revokes_a_key(admin_client, read_key, demo):
    token, secret = read_key
    response = admin_client.post("/admin/fhir/integrationtoken/", {"action": "revoke_tokens",
                                                                    "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = Client().get(f"/fhir/Patient/{demo.intake.patient.public_id}", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401


def test_a_key_is_never_deleted_and_clinicians_cannot_make_one(admin_client, read_key):
    token, _secret = read_key
    assert admin_client.get(f"/admin/fhir/integrationtoken/{token.pk}/delete/").status_code == 403
    clinician = staff_client(make_staff("clara", CLINICIAN))
    assert clinician.get("/admin/fhir/integrationtoken/add/").status_code == 403
