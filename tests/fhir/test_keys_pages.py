"""Clinic admins make an integration key on the set-up pages (its secret shown once) and revoke it there."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.fhir.models import IntegrationToken
from screening.review.permissions import CLINIC_ADMIN, CLINICIAN, FRONT_DESK, roles_install
from tests.staff.conftest import make_staff, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(db) -> Client:
    roles_install()
    return staff_client(make_staff("adele", CLINIC_ADMIN))


def test_a_clinic_admin_makes_a_key_and_sees_it_once(admin_client, demo):
    response = admin_client.post(reverse("keys:new"), {"name": "  Practice   EHR ", "scope": "read"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = re.search(r'value="(cs_[^"]+)"', response.content.decode()).group(1)
    token = IntegrationToken.objects.get()
    assert token.name == "Practice EHR" and token.created_by.username == "adele"
    assert token.token_hash == IntegrationToken.hash_of(secret) and secret not in token.token_hash
    line = AuditEvent.objects.get(action=AuditAction.TOKEN_CREATED, object_id=str(token.pk))
    assert line.actor_label == "adele" and secret not in line.detail
    # It opens the API; the list never shows it again, only its first characters.
    api = Client().get(f"/fhir/Patient/{demo.intake.patient.public_id}", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    listing = admin_client.get(reverse("keys:list")).content.decode()
    assert "Practice EHR" in listing and token.prefix in listing and secret not in listing


def test_a_key_without_a_name_or_with_an_unknown_scope_is_refused_and_what_was_typed_kept(admin_client):
    blank = admin_client.post(reverse("keys:new"), {"name": "   ", "scope": "read"})
    odd = admin_client.post(reverse("keys:new"), {"name": "Reporting", "scope": "everything"})
    assert blank.status_code == odd.status_code == 400
    assert "Name the system that will use the key." in blank.content.decode()
    assert "Select a valid choice" in odd.content.decode() and 'value="Reporting"' in odd.content.decode()
    assert not IntegrationToken.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATED).exists()


def test_a_clinic_admin_revokes_a_key(admin_client, read_key, demo):
    token, secret = read_key
    response = admin_client.post(reverse("keys:revoke", args=[token.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("keys:list")
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED, object_id=str(token.pk)).count() == 1
    api = Client().get(f"/fhir/Patient/{demo.intake.patient.public_id}", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 401
    again = admin_client.post(reverse("keys:revoke", args=[token.pk]), follow=True)
    assert "was revoked already" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKED, object_id=str(token.pk)).count() == 1


def test_front_desk_and_clinicians_can_neither_see_nor_make_nor_revoke_keys(read_key):
    roles_install()
    token, _secret = read_key
    for user in (make_staff("clara", CLINICIAN), make_staff("frank", FRONT_DESK)):
        client = staff_client(user)
        assert client.get(reverse("keys:list")).status_code == 403
        assert client.post(reverse("keys:new"), {"name": "Mine", "scope": "read"}).status_code == 403
        assert client.post(reverse("keys:revoke", args=[token.pk])).status_code == 403
    assert IntegrationToken.objects.count() == 1 and IntegrationToken.objects.get().revoked_at is None
