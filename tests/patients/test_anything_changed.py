""""Has anything else changed since your last visit?": asked in the check before a visit, never in a first intake.

Any answer but an empty one or "no" puts the appointment on hold for a
clinician, who reads the patient's words on the intake's page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from screening.booking.models import Booking, BookingStatus
from screening.intake.models import Intake, ReviewState, Screening
from screening.questionnaire.models import Question
from tests.conftest import run_pending_on_commit, run_ready_tasks
from tests.intake.helpers import LAST_STEP, complete, post_step, start
from tests.patients.test_recheck import SESSION, _check_answers, _cleared_in_january, _open_check
from tests.patients.test_returning import _first_session_done
from tests.staff.conftest import latest_screening, patient_client, staff_client

pytestmark = pytest.mark.django_db

LABEL = "Has anything else about your health or skin changed since your last visit?"
WORDS = "I started a new face cream that stings"


def _the_check(intake: Intake) -> Client:
    with time_machine.travel(SESSION - timedelta(hours=47), tick=False):
        run_ready_tasks()
        return _open_check(intake)


def test_the_default_question_is_free_text_optional_asked_again_and_of_the_between_visits_kind():
    question = Question.objects.get(code="anything_changed")
    assert (question.type, question.required, question.asked_again, question.kind) == (
        "text", False, True, "since_last_visit")


def test_the_check_asks_it_last_and_empty(personas, calendar):
    intake, _booking = _cleared_in_january(personas, calendar)
    Intake.objects.filter(pk=intake.pk).update(answers={**intake.answers, "anything_changed": "An old worry"})
    client = _the_check(intake)
    with time_machine.travel(SESSION - timedelta(hours=47), tick=False):
        page = client.get(reverse("courses:recheck", args=[intake.public_id])).content.decode()
    assert LABEL in page
    assert page.index("When did you last have dermal filler injections") < page.index(LABEL)
    assert "An old worry" not in page  # about this visit only: last time's words are not offered again


def test_the_returning_patients_health_update_asks_it_too(personas, calendar):
    intake = _first_session_done(personas, calendar)
    with time_machine.travel(SESSION + timedelta(days=2), tick=False):
        page = patient_client(intake).get(reverse("courses:next_session", args=[intake.public_id]))
    assert page.status_code == 200 and LABEL in page.content.decode()


def test_a_new_cream_that_stings_holds_the_session_and_the_clinician_reads_the_words(personas, calendar):
    intake, booking = _cleared_in_january(personas, calendar)
    client = _the_check(intake)
    with time_machine.travel(SESSION - timedelta(hours=47), tick=False):
        response = client.post(reverse("courses:recheck", args=[intake.public_id]),
                               _check_answers(anything_changed=WORDS), follow=True)
        run_pending_on_commit()

    assert "put it on hold" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD and booking.hold_expires_at == SESSION
    assert Intake.objects.get(pk=intake.pk).review_state == ReviewState.NEEDS_REVIEW
    check = latest_screening(intake)
    assert (check.reason, check.outcome) == (Screening.Reason.RECHECK, "review")
    (flag,) = check.flags.filter(rule_code="CHANGED_SINCE_LAST_VISIT")
    assert flag.evidence == {"anything_changed": WORDS}

    page = staff_client(personas.clinician).get(reverse("staff:intake", args=[intake.public_id])).content.decode()
    assert "Something else changed since the last visit" in page and WORDS in page


@pytest.mark.parametrize("answer", ["", "No", "nothing has changed"])
def test_an_empty_or_no_answer_keeps_the_booking(personas, calendar, answer):
    intake, booking = _cleared_in_january(personas, calendar)
    client = _the_check(intake)
    with time_machine.travel(SESSION - timedelta(hours=47), tick=False):
        response = client.post(reverse("courses:recheck", args=[intake.public_id]),
                               _check_answers(anything_changed=answer), follow=True)
    assert "see you on" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    assert Intake.objects.get(pk=intake.pk).review_state == ReviewState.CLEARED
    assert not latest_screening(intake).flags.filter(rule_code="CHANGED_SINCE_LAST_VISIT").exists()


def test_a_first_time_patients_full_form_never_asks_it(client):
    intake = start(client)
    for number in range(1, LAST_STEP + 1):
        page = client.get(reverse("intake:step", args=[intake.public_id, number])).content.decode()
        assert LABEL not in page and "anything_changed" not in page, number
        assert post_step(client, intake, number).status_code == 302
    intake.refresh_from_db()
    assert intake.status == "submitted" and "anything_changed" not in intake.answers
    assert intake.outcome == "eligible"


def test_a_first_intake_sent_whole_is_eligible_without_it(client):
    intake = complete(client)
    assert intake.outcome == "eligible"
    assert not latest_screening(intake).flags.filter(rule_code="CHANGED_SINCE_LAST_VISIT").exists()
