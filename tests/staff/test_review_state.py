"""The review state stored on the intake: each service that changes its facts sets it, and the database
refuses a value that is no state.

After every step the stored state is also compared with the one the facts
give (``review_state_now``), so a service that forgot to set it would show.
The booking services' part is in tests/booking/test_review_state.py.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from screening.audit.log import Actor
from screening.booking.models import BookingStatus
from screening.intake import review as intake_review
from screening.intake.models import Intake, PatientQuestion, ReviewState
from screening.intake.review import review_state_for, review_state_now
from screening.intake.services import intake_update_answers
from screening.questionnaire.models import Outcome, Rule
from screening.review.models import FINAL_DECISION_KINDS, DecisionKind
from screening.review.services import intake_ask, intake_clear, intake_decline, intake_rescreen
from tests.staff.conftest import NOT_SUITABLE, REVIEW, latest_screening, make_intake

pytestmark = pytest.mark.django_db


def state_of(intake: Intake) -> str:
    """The stored state, after checking that it is the one the intake's facts give."""
    stored, computed = review_state_now(intake)
    assert stored == computed, f"stored {stored!r}, but the facts give {computed!r}"
    return stored


def _ask(personas, intake: Intake) -> PatientQuestion:
    return intake_ask(intake_id=intake.pk, screening_id=latest_screening(intake).pk,
                      by=Actor.staff(personas.clinician), question="Which medicine, and since when?")


def _answer(intake: Intake, question: PatientQuestion, **answers) -> None:
    intake.refresh_from_db()
    intake_update_answers(intake_id=intake.pk, question_id=question.pk, answers={**intake.answers, **answers})


# --- the machine ----------------------------------------------------------------------


@pytest.mark.parametrize(("facts", "state"), [
    ({"outcome": Outcome.ELIGIBLE}, ReviewState.NONE),
    ({"outcome": Outcome.REVIEW}, ReviewState.NEEDS_REVIEW),
    ({"outcome": Outcome.ELIGIBLE, "held": True}, ReviewState.NEEDS_REVIEW),
    ({"outcome": Outcome.REVIEW, "held": True, "open_question": True}, ReviewState.WAITING),
    ({"outcome": Outcome.ELIGIBLE, "decided": True, "last_decision": "clear"}, ReviewState.CLEARED),
    ({"outcome": Outcome.NOT_SUITABLE, "decided": True, "last_decision": "decline"}, ReviewState.DECLINED),
    # Cleared, then a time held that a new review flag holds: a clinician must look again.
    ({"outcome": Outcome.ELIGIBLE, "held": True, "last_decision": "clear"}, ReviewState.NEEDS_REVIEW),
    # Asked, then answered with nothing left to review.
    ({"outcome": Outcome.ELIGIBLE, "last_decision": "ask"}, ReviewState.NONE),
])
def test_the_state_follows_from_the_facts(facts, state):
    assert review_state_for(**facts) == state


def test_the_names_the_intake_app_uses_for_other_apps_values_are_theirs():
    assert intake_review.HELD == BookingStatus.HELD
    assert set(intake_review.FINAL_DECISION_KINDS) == set(FINAL_DECISION_KINDS)
    assert {DecisionKind.CLEAR, DecisionKind.DECLINE} == {ReviewState.CLEARED, ReviewState.DECLINED}


# --- the services ---------------------------------------------------------------------


def test_submitting_sets_the_state_from_the_outcome(personas):
    assert state_of(make_intake(email="r@example.com", first_name="R", answers=REVIEW)) == ReviewState.NEEDS_REVIEW
    assert state_of(make_intake(email="e@example.com", first_name="E")) == ReviewState.NONE
    assert state_of(make_intake(email="n@example.com", first_name="N", answers=NOT_SUITABLE)) == ReviewState.NONE


def test_asking_waits_for_the_patient_and_their_answer_brings_it_back(personas):
    intake = personas.intake_b
    question = _ask(personas, intake)
    assert state_of(intake) == ReviewState.WAITING

    _answer(intake, question, medications="Tranexamic acid before dental work")
    assert state_of(intake) == ReviewState.NEEDS_REVIEW


def test_an_answer_that_leaves_nothing_to_review_ends_the_review(personas):
    intake = personas.intake_b  # no time held
    question = _ask(personas, intake)
    _answer(intake, question, bleeding_disorder=False)
    intake.refresh_from_db()
    assert intake.outcome == Outcome.ELIGIBLE
    assert state_of(intake) == ReviewState.NONE


def test_an_answer_with_a_time_held_still_needs_review(personas):
    intake = personas.intake_a  # holds a time
    question = _ask(personas, intake)
    _answer(intake, question, bleeding_disorder=False)
    assert state_of(intake) == ReviewState.NEEDS_REVIEW


def test_clearing_clears(personas):
    intake_clear(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
                 by=Actor.staff(personas.clinician), note="Checked with their GP.")
    assert state_of(personas.intake_a) == ReviewState.CLEARED
    personas.booking_a.refresh_from_db()
    assert personas.booking_a.status == BookingStatus.CONFIRMED


def test_declining_declines(personas):
    intake_decline(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
                   by=Actor.staff(personas.clinician), reason="see_doctor")
    assert state_of(personas.intake_a) == ReviewState.DECLINED
    personas.booking_a.refresh_from_db()
    assert personas.booking_a.status == BookingStatus.RELEASED


def test_clearing_while_waiting_for_the_patient_closes_the_question(personas):
    intake = personas.intake_b
    _ask(personas, intake)
    intake_clear(intake_id=intake.pk, screening_id=latest_screening(intake).pk,
                 by=Actor.staff(personas.clinician), note="Their GP confirmed it by phone.")
    assert state_of(intake) == ReviewState.CLEARED


def test_a_re_screen_that_changes_the_outcome_changes_the_state(personas):
    Rule.objects.filter(code="BLEEDING_DISORDER").update(severity="info", revision=2)
    intake_rescreen(intake_id=personas.intake_b.pk, screening_id=latest_screening(personas.intake_b).pk,
                    by=Actor.staff(personas.clinician))
    personas.intake_b.refresh_from_db()
    assert personas.intake_b.outcome == Outcome.ELIGIBLE
    assert state_of(personas.intake_b) == ReviewState.NONE

    # Intake A holds a time: eligible now, but the held time still waits for a clinician.
    intake_rescreen(intake_id=personas.intake_a.pk, screening_id=latest_screening(personas.intake_a).pk,
                    by=Actor.staff(personas.clinician))
    assert state_of(personas.intake_a) == ReviewState.NEEDS_REVIEW


# --- the database's guarantees ------------------------------------------------------------


def test_the_database_refuses_a_state_that_is_no_state(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.filter(pk=personas.intake_a.pk).update(review_state="maybe")


def test_the_database_refuses_a_draft_in_review(personas):
    draft = Intake.objects.create(treatment=personas.intake_a.treatment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.filter(pk=draft.pk).update(review_state=ReviewState.NEEDS_REVIEW)
