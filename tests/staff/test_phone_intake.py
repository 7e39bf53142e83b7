"""An intake filled in by staff with the patient on the phone (issue 19): marked with who did it, the
patient's verbal consent recorded and audited, the patient emailed their link; patients cannot use it."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.core.models import Treatment
from screening.intake.forms import VERBAL_CONSENT_ANSWER
from screening.intake.models import Intake
from tests.conftest import run_pending_on_commit
from tests.intake.helpers import CLEAN, CONSENT, LAST_STEP, step_data
from tests.staff.conftest import ELIGIBLE, make_intake, patient_client, staff_client

pytestmark = pytest.mark.django_db


def start_by_phone(client) -> Intake:
    response = client.post(reverse("staff:phone_intake_start"), {"treatment": Treatment.objects.get(code="face").pk})
    assert response.status_code == 302, response.content[:500]
    intake = Intake.objects.order_by("-id").first()
    assert response["Location"] == reverse("staff:phone_intake_step", args=[intake.public_id, 1])
    return intake


def post_step(client, intake: Intake, number: int, **data):
    url = reverse("staff:phone_intake_step", args=[intake.public_id, number])
    return client.post(url, {**data, "action": "next"})


def phone_consent() -> dict:
    """The consent step as staff fill it: the risks read out and ticked, and the patient's consent aloud."""
    return {**{k: v for k, v in CLEAN[CONSENT].items() if k != "consent_signature"}, "consent_signature": "on"}


def fill_to_consent(client, intake: Intake) -> None:
    for number in range(1, LAST_STEP):
        assert post_step(client, intake, number, **step_data(number)).status_code == 302


def test_an_intake_by_phone_is_marked_with_the_staff_member_and_the_verbal_consent(personas):
    desk = personas.front_desk
    client = staff_client(desk)
    intake = start_by_phone(client)
    assert AuditEvent.objects.filter(action=AuditAction.INTAKE_ASSISTED, intake_id=intake.pk,
                                     actor_label=desk.username).exists()
    fill_to_consent(client, intake)
    page = client.get(reverse("staff:phone_intake_step", args=[intake.public_id, CONSENT]))
    assert "The patient confirmed consent verbally" in page.content.decode()
    response = post_step(client, intake, CONSENT, **phone_consent())
    assert response.status_code == 302 and response["Location"] == reverse("staff:intake", args=[intake.public_id])

    intake.refresh_from_db()
    assert intake.is_submitted and intake.outcome == "eligible"
    assert intake.assisted_by == desk and intake.assisted_at is not None
    assert intake.verbal_consent_by == desk and intake.verbal_consent_at is not None
    assert intake.answers["consent_signature"] == VERBAL_CONSENT_ANSWER
    consent = AuditEvent.objects.filter(action=AuditAction.VERBAL_CONSENT, intake_id=intake.pk)
    assert consent.count() == 1 and consent.get().actor_label == desk.username
    # The patient gets their receipt with their own link, so they can see, correct and book for themselves.
    run_pending_on_commit()
    assert mail.outbox[-1].to == ["alex@example.com"] and "/intake/r/" in mail.outbox[-1].body
    # The staff pages say who filled it in.
    detail = client.get(reverse("staff:intake", args=[intake.public_id])).content.decode()
    assert f"by phone ({desk.username})" in detail and "confirmed consent verbally" in detail
    queue = client.get(reverse("staff:queue")).content.decode()
    assert f"by phone ({desk.username})" in queue and "New intake by phone" in queue


def test_the_consent_step_without_the_tick_sends_nothing_and_keeps_what_was_typed(personas):
    client = staff_client(personas.front_desk)
    intake = start_by_phone(client)
    fill_to_consent(client, intake)
    response = post_step(client, intake, CONSENT, consent_risks="on")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Please tick once the patient has told you they consent." in text
    risks = re.search(r'<input[^>]*name="consent_risks"[^>]*>', text).group(0)
    assert "checked" in risks  # the risks read out stay ticked
    intake.refresh_from_db()
    assert not intake.is_submitted and intake.verbal_consent_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.VERBAL_CONSENT, intake_id=intake.pk).exists()


def test_bad_input_on_a_step_keeps_the_typed_answers(personas):
    client = staff_client(personas.front_desk)
    intake = start_by_phone(client)
    response = post_step(client, intake, 1, **step_data(1, email="not an address"))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'value="Alex"' in text and 'value="not an address"' in text
    intake.refresh_from_db()
    assert intake.completed_step == 0


def test_a_patient_session_cannot_use_the_staff_pages(personas):
    staff = staff_client(personas.front_desk)
    intake = start_by_phone(staff)
    # Even a session that holds this very intake (its patient, once emailed their link) is sent to sign in.
    patient = patient_client(intake)
    for url in (reverse("staff:phone_intake_start"), reverse("staff:phone_intake_step", args=[intake.public_id, 1])):
        response = patient.post(url, step_data(1))
        assert response.status_code == 302 and reverse("staff:login") in response["Location"]
    intake.refresh_from_db()
    assert intake.answers == {} and intake.completed_step == 0


def test_an_intake_the_patient_filled_in_online_has_no_phone_page(personas):
    online = make_intake(email="eve@example.com", first_name="Eve", answers=ELIGIBLE)
    client = staff_client(personas.front_desk)
    assert client.get(reverse("staff:phone_intake_step", args=[online.public_id, 1])).status_code == 404
    # And the staff session is not granted the phone intake as a patient's is: patient pages stay closed to it.
    intake = start_by_phone(client)
    assert client.get(reverse("intake:step", args=[intake.public_id, 1])).status_code == 404
