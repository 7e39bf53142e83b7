"""Staff revoke a patient's links (issue 7, item 3): the links stop working, sessions they opened end.

Every staff role may revoke (front desk included: a patient who rings to say
their mailbox is compromised should not wait for a clinician). Patients and
strangers cannot. The revoked link shows the friendly "this link no longer
works, here is how to get a new one" page; a browser already let in by it
loses the intake; a link issued after the revocation works as usual.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screening.audit.log import Actor
from screening.audit.models import AuditAction, AuditEvent
from screening.intake.links import link_issue, links_revoke
from screening.intake.models import AccessLink, Intake
from tests.staff.conftest import patient_client, personas, staff_client  # noqa: F401  (personas: a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _second_factor_on(_second_factor_off_by_default, settings):
    settings.STAFF_REQUIRE_2FA = True  # as in production


def _revoke(client, intake: Intake):
    return client.post(reverse("staff:intake_revoke_links", args=[intake.public_id]))


def _link(token: str) -> str:
    return reverse("intake:link", args=[token])


def _signed_in_by_link(token: str) -> Client:
    """A phone that opened the emailed link and tapped Continue."""
    phone = Client()
    assert phone.get(_link(token))["Location"] == reverse("intake:link_continue")
    assert phone.post(reverse("intake:link_continue")).status_code == 302
    return phone


def _outcome(intake: Intake) -> str:
    return reverse("intake:outcome", args=[intake.public_id])


def _live_links(intake: Intake) -> int:
    return AccessLink.objects.filter(intake=intake, revoked_at__isnull=True, expires_at__gt=timezone.now()).count()


def test_a_revoked_link_shows_the_friendly_page_and_no_longer_opens_the_intake(personas):
    intake = personas.intake_a
    token = link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
    live = _live_links(intake)
    assert live >= 1

    response = _revoke(staff_client(personas.front_desk), intake)

    assert response.status_code == 302 and response["Location"] == reverse("staff:intake", args=[intake.public_id])
    assert [str(m) for m in get_messages(response.wsgi_request)][0].startswith(f"Revoked {live} link")
    assert _live_links(intake) == 0
    page = Client().get(_link(token))
    assert page.status_code == 410
    text = page.content.decode()
    assert "This link no longer works" in text and "Email me a new link" in text
    assert "Traceback" not in text and str(intake.public_id) not in text


def test_a_link_opened_before_the_revocation_cannot_be_exchanged_after_it(personas):
    token = link_issue(intake=personas.intake_a, purpose=AccessLink.Purpose.RESUME)
    phone = Client()
    phone.get(_link(token))  # the continue page waits for a tap

    links_revoke(intake=personas.intake_a, by=Actor.staff(personas.front_desk))

    tapped = phone.post(reverse("intake:link_continue"))
    assert tapped.status_code == 410 and "This link no longer works" in tapped.content.decode()
    assert phone.get(_outcome(personas.intake_a)).status_code == 404


def test_a_session_already_let_in_by_a_link_is_ended(personas):
    intake = personas.intake_a
    phone = _signed_in_by_link(link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME))
    assert phone.get(_outcome(intake)).status_code == 200
    other = patient_client(personas.intake_b)  # another patient's session is not touched

    _revoke(staff_client(personas.clinician), intake)

    assert phone.get(_outcome(intake)).status_code == 404
    assert phone.get(reverse("booking:booking", args=[intake.public_id])).status_code == 404
    assert str(intake.public_id) not in phone.session.get("patient_intakes", [])  # the grant is forgotten
    assert other.get(_outcome(personas.intake_b)).status_code == 200


def test_a_session_granted_before_grant_times_were_kept_is_ended_too(personas):
    old_style = patient_client(personas.intake_a)  # the intake's id only, no grant time
    assert old_style.get(_outcome(personas.intake_a)).status_code == 200
    links_revoke(intake=personas.intake_a, by=Actor.staff(personas.front_desk))
    assert old_style.get(_outcome(personas.intake_a)).status_code == 404


def test_a_link_issued_after_the_revocation_lets_the_patient_back_in(personas):
    intake = personas.intake_a
    links_revoke(intake=intake, by=Actor.staff(personas.front_desk))
    phone = _signed_in_by_link(link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME))
    assert phone.get(_outcome(intake)).status_code == 200


def test_the_revocation_is_audited_with_no_patient_data(personas):
    intake = personas.intake_a
    link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
    live = _live_links(intake)

    _revoke(staff_client(personas.front_desk), intake)

    event = AuditEvent.objects.get(action=AuditAction.LINKS_REVOKED)
    assert (event.actor, event.actor_label, event.intake_id, event.ip) == (
        personas.front_desk, "frank", intake.pk, "127.0.0.1")
    assert (event.object_type, event.object_id) == ("intake", str(intake.pk))
    assert event.detail == f"{live} live link(s) revoked; patient sessions ended"
    for private in (intake.email, intake.first_name, intake.last_name, "bleeding", "Tranexamic"):
        assert private.lower() not in event.detail.lower()


def test_expired_and_already_revoked_links_are_left_as_they_were(personas):
    intake = personas.intake_a
    AccessLink.objects.filter(intake=intake).delete()
    now = timezone.now()
    link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
    expired = AccessLink.objects.create(intake=intake, purpose="resume", token_hash="e" * 64,
                                        created_at=now - timedelta(days=9), expires_at=now - timedelta(days=2))
    earlier = now - timedelta(hours=1)
    revoked = AccessLink.objects.create(intake=intake, purpose="resume", token_hash="r" * 64,
                                        created_at=now - timedelta(days=1), expires_at=now + timedelta(days=6),
                                        revoked_at=earlier)

    assert links_revoke(intake=intake, by=Actor.staff(personas.front_desk)) == 1

    expired.refresh_from_db()
    revoked.refresh_from_db()
    assert expired.revoked_at is None and revoked.revoked_at == earlier


def test_a_double_submit_is_harmless(personas):
    client = staff_client(personas.front_desk)
    _revoke(client, personas.intake_a)
    again = _revoke(client, personas.intake_a)
    assert again.status_code == 302
    assert [str(m) for m in get_messages(again.wsgi_request)][-1].startswith("There were no live links to revoke")
    assert AuditEvent.objects.filter(action=AuditAction.LINKS_REVOKED).count() == 2


@pytest.mark.parametrize("role", ["front_desk", "clinician", "clinic_admin"])
def test_every_staff_role_may_revoke_and_sees_the_button(personas, role):
    client = staff_client(getattr(personas, role))
    page = client.get(reverse("staff:intake", args=[personas.intake_a.public_id])).content.decode()
    assert "Revoke the patient's links" in page
    assert _revoke(client, personas.intake_a).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.LINKS_REVOKED, actor=getattr(personas, role)).exists()


def test_a_staff_account_without_a_role_cannot_revoke(personas):
    token = link_issue(intake=personas.intake_a, purpose=AccessLink.Purpose.RESUME)
    assert _revoke(staff_client(personas.outsider), personas.intake_a).status_code == 403
    assert Client().get(_link(token)).status_code == 302  # still works


@pytest.mark.parametrize("visitor", ["anonymous", "patient A", "patient B"])
def test_patients_and_strangers_cannot_revoke(personas, visitor):
    token = link_issue(intake=personas.intake_a, purpose=AccessLink.Purpose.RESUME)
    browser = {"anonymous": Client(), "patient A": patient_client(personas.intake_a),
               "patient B": patient_client(personas.intake_b)}[visitor]

    response = _revoke(browser, personas.intake_a)

    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login") + "?next=")
    assert Client().get(_link(token)).status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.LINKS_REVOKED).exists()
    assert Intake.objects.get(pk=personas.intake_a.pk).access_revoked_at is None


def test_a_get_revokes_nothing(personas):
    """A link preview or prefetch of the address must not revoke: POST only (and CSRF-protected)."""
    token = link_issue(intake=personas.intake_a, purpose=AccessLink.Purpose.RESUME)
    client = staff_client(personas.front_desk)
    assert client.get(reverse("staff:intake_revoke_links", args=[personas.intake_a.public_id])).status_code == 405
    assert Client().get(_link(token)).status_code == 302


def test_the_revoke_form_needs_a_csrf_token(personas):
    client = staff_client(personas.front_desk)
    client.handler.enforce_csrf_checks = True
    assert _revoke(client, personas.intake_a).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.LINKS_REVOKED).exists()
