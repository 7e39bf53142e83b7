"""Issue 17C: the clinic's contact details on the outcome page, and "I answered something by mistake"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.core.clinic import ClinicContact
from screening.core.models import ClinicSettings
from screening.intake.correction import CorrectionError, correctable_screening_id, intake_correct_answers
from screening.intake.models import Intake, Screening
from screening.outbox.delivery import sender
from tests.intake.helpers import LAST_STEP, draft_at, post_step

pytestmark = pytest.mark.django_db


def _not_suitable(client) -> Intake:
    intake = draft_at(client, LAST_STEP)
    Intake.objects.filter(pk=intake.pk).update(answers={**Intake.objects.get(pk=intake.pk).answers,
                                                       "keloid_history": True})
    post_step(client, intake, LAST_STEP)
    intake.refresh_from_db()
    assert intake.outcome == "not_suitable"
    return intake


def _profile(**fields) -> None:
    ClinicSettings.objects.update_or_create(pk=1, defaults=fields)


def test_a_correction_records_a_new_screening_beside_the_old_one_and_is_audited(client):
    intake = _not_suitable(client)
    first = correctable_screening_id(intake)
    screening = intake_correct_answers(intake_id=intake.pk, corrects=first, answers={"keloid_history": False})
    intake.refresh_from_db()
    assert intake.outcome == "eligible" and screening.reason == Screening.Reason.CORRECTED
    assert list(intake.screenings.order_by("created_at", "id").values_list("outcome", flat=True)) == [
        "not_suitable", "eligible"]
    assert Screening.objects.get(pk=first).answers["keloid_history"] is True  # the old one stands
    assert AuditEvent.objects.filter(action=AuditAction.ANSWERS_CORRECTED, intake_id=intake.pk).count() == 1


def test_a_second_tap_records_nothing_more(client):
    intake = _not_suitable(client)
    first = correctable_screening_id(intake)
    intake_correct_answers(intake_id=intake.pk, corrects=first, answers={"keloid_history": False})
    with pytest.raises(CorrectionError) as error:
        intake_correct_answers(intake_id=intake.pk, corrects=first, answers={"keloid_history": False})
    assert error.value.code == "already_sent"
    assert intake.screenings.count() == 2


def test_the_outcome_page_shows_the_button_and_how_to_reach_the_clinic(client):
    _profile(name="Example Skin Clinic", phone="020 7946 0123", email="hello@clinic.example",
             address="12 Example Street\nLondon N1 9XX")
    intake = _not_suitable(client)
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "I answered something by mistake" in page
    assert 'href="tel:02079460123"' in page and 'href="mailto:hello@clinic.example"' in page
    assert "How to reach us" in page and "12 Example Street" in page


def test_an_empty_profile_shows_no_empty_contact_lines(client):
    _profile(name="Example Skin Clinic", phone="", email="", address="")
    intake = _not_suitable(client)
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "How to reach us" not in page and "tel:" not in page and "mailto:" not in page


def test_the_patient_corrects_an_answer_through_the_page(client):
    intake = _not_suitable(client)
    url = reverse("intake:answers_correct", args=[intake.public_id])
    assert client.get(url).status_code == 200
    form = {k: v for k, v in Intake.objects.get(pk=intake.pk).answers.items()}
    assert form  # the answers are there to reopen
    intake_correct_answers(intake_id=intake.pk, corrects=correctable_screening_id(intake),
                           answers={"keloid_history": False})
    assert intake.screenings.count() == 2


def test_emails_come_from_the_clinic_by_name():
    assert sender(ClinicContact(name="Example Skin Clinic")).startswith('"Example Skin Clinic" <') or \
        sender(ClinicContact(name="Example Skin Clinic")).startswith("Example Skin Clinic <")


def test_reply_to_falls_back_to_the_clinic_email():
    assert ClinicContact(name="C", email="a@clinic.example").replies_to == "a@clinic.example"
    assert ClinicContact(name="C", email="a@clinic.example", reply_to="b@clinic.example").replies_to == \
        "b@clinic.example"
    assert ClinicContact(name="C").replies_to == ""
