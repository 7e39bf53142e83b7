"""A clinician's question goes to the patient and comes back to the queue.

Ask → an email with a link (purpose "update") → the patient follows it,
sees the question, updates the answers → screened again (reason
ANSWERS_UPDATED) → the intake needs review again.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.intake.models import AccessLink, PatientQuestion, Screening
from screening.questionnaire.models import Outcome
from screening.review.selectors import QueueFilters, ReviewState, queue_page
from tests.intake.helpers import CLEAN, CONSENT
from tests.staff.conftest import latest_screening, patient_client, staff_client

pytestmark = pytest.mark.django_db

QUESTION = "Which medicine do you take for it, and when did you last see your haematologist?"


def _ask(personas) -> None:
    client = staff_client(personas.clinician)
    response = client.post(reverse("staff:intake_ask", args=[personas.intake_a.public_id]),
                           {"screening_id": latest_screening(personas.intake_a).pk, "question": QUESTION})
    assert response.status_code == 302


def _link_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/intake/r/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _health_answers(**overrides) -> dict:
    """The answer-update form as the patient sends it: every health question, a few changed."""
    data = {name: value for number in range(2, CONSENT) for name, value in CLEAN[number].items()}
    data["bleeding_disorder"] = "yes"
    data.update(overrides)
    return data


def _needs_review(intake) -> bool:
    rows = queue_page(filters=QueueFilters(state=ReviewState.NEEDS_REVIEW), page_number=1).page.object_list
    return intake.pk in {row.pk for row in rows}


def test_the_question_email_has_an_update_link_and_no_medical_detail(personas):
    mail.outbox.clear()
    _ask(personas)
    [message] = [m for m in mail.outbox if m.subject == "A quick question from the clinic"]
    assert "haematologist" not in message.body and "medicine" not in message.body
    link = AccessLink.objects.get(intake=personas.intake_a, purpose=AccessLink.Purpose.UPDATE)
    assert link.is_usable()
    assert _link_path(message).startswith("/intake/r/")


def test_a_question_round_trips_through_the_patient_and_back_to_the_queue(personas):
    assert _needs_review(personas.intake_a)
    mail.outbox.clear()
    _ask(personas)
    assert not _needs_review(personas.intake_a)  # waiting for the patient now
    [message] = [m for m in mail.outbox if m.subject == "A quick question from the clinic"]

    # The patient, on another device, follows the link and confirms.
    patient = Client()
    assert patient.get(_link_path(message)).status_code == 302
    assert patient.post(reverse("intake:link_continue")).status_code == 302

    update_url = reverse("intake:answers_update", args=[personas.intake_a.public_id])
    page = patient.get(update_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "which medicine do you take for it" in text.lower()
    assert 'name="bleeding_disorder"' in text and 'name="consent_signature"' not in text

    response = patient.post(update_url, {**_health_answers(medications="Tranexamic acid before dental work"),
                                         "reply": "Only before dental work; last seen in March."})
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:outcome", args=[personas.intake_a.public_id])

    screening = latest_screening(personas.intake_a)
    assert screening.reason == Screening.Reason.ANSWERS_UPDATED
    assert screening.outcome == Outcome.REVIEW
    assert screening.answers["medications"] == "Tranexamic acid before dental work"
    question = PatientQuestion.objects.get()
    assert question.answered_at is not None and question.answer_screening == screening
    assert question.reply.startswith("Only before dental work")
    assert _needs_review(personas.intake_a)
    assert AuditEvent.objects.filter(action=AuditAction.ANSWERS_UPDATED, actor_label="patient",
                                     intake_id=personas.intake_a.pk).count() == 1

    # The clinician sees the reply in the intake's history and can decide on the new screening.
    detail = staff_client(personas.clinician).get(reverse("staff:intake", args=[personas.intake_a.public_id]))
    assert "Only before dental work" in detail.content.decode()
    assert f'name="screening_id" value="{screening.pk}"' in detail.content.decode()


def test_an_update_that_clears_the_flag_screens_eligible(personas):
    _ask(personas)
    patient = patient_client(personas.intake_a)
    patient.post(reverse("intake:answers_update", args=[personas.intake_a.public_id]),
                 _health_answers(bleeding_disorder="no"))
    personas.intake_a.refresh_from_db()
    assert personas.intake_a.outcome == Outcome.ELIGIBLE
    # The held time still waits for a clinician, so the intake stays in the queue.
    assert _needs_review(personas.intake_a)


def test_a_double_submit_of_updated_answers_records_one_screening(personas):
    _ask(personas)
    patient = patient_client(personas.intake_a)
    url = reverse("intake:answers_update", args=[personas.intake_a.public_id])
    before = Screening.objects.filter(intake=personas.intake_a).count()
    patient.post(url, _health_answers())
    again = patient.post(url, _health_answers(), follow=True)
    assert Screening.objects.filter(intake=personas.intake_a).count() == before + 1
    assert "nothing to update" in again.content.decode()


def test_an_invalid_update_keeps_the_answers_and_says_what_is_wrong(personas):
    _ask(personas)
    patient = patient_client(personas.intake_a)
    page = patient.post(reverse("intake:answers_update", args=[personas.intake_a.public_id]),
                        _health_answers(bleeding_disorder="", medications="Something typed"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Please answer this question" in text and "Something typed" in text
    assert PatientQuestion.objects.get().is_open


def test_another_patient_cannot_see_or_answer_the_question(personas):
    _ask(personas)
    other = patient_client(personas.intake_b)
    url = reverse("intake:answers_update", args=[personas.intake_a.public_id])
    assert other.get(url).status_code == 404
    assert other.post(url, _health_answers(bleeding_disorder="no")).status_code == 404
    assert PatientQuestion.objects.get().is_open


def test_without_an_open_question_the_patient_is_sent_to_their_outcome(personas):
    response = patient_client(personas.intake_a).get(
        reverse("intake:answers_update", args=[personas.intake_a.public_id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:outcome", args=[personas.intake_a.public_id])


def test_the_emailed_update_link_lands_on_the_question(personas):
    mail.outbox.clear()
    _ask(personas)
    [message] = [m for m in mail.outbox if m.subject == "A quick question from the clinic"]
    patient = Client()
    patient.get(_link_path(message))
    response = patient.post(reverse("intake:link_continue"))
    assert response["Location"] == reverse("intake:answers_update", args=[personas.intake_a.public_id])
