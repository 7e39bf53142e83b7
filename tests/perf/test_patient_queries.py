"""The patient's intake pages read a fixed, small number of queries.

The steps, questions and rules are read once per process and kept while
they are unchanged (``screening.questionnaire.selectors.live_questionnaire``): the key
that says whether they are is read with the intake, in the same query. A
step is saved in one conditional update (the draft as read, unless someone
saved it meanwhile), and the final submit screens once and writes the
intake, its screening, its receipt's link and the receipt itself (an outbox
row and the worker's task row) in one transaction. Counts are
taken as the tests see them, inside the test's transaction, where each
service's transaction is a savepoint (two more queries: SAVEPOINT, RELEASE).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from screening.intake.models import Intake, Screening
from screening.questionnaire import selectors
from tests.intake.helpers import LAST_STEP, draft_at, post_step, start, step_of

# The worker's tasks are run by hand, after the counted request (they are not the request's queries).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cold_questionnaire_cache"), pytest.mark.manual_tasks]

# session, intake (with the questionnaire key)
STEP_GET = 2
# session, intake, the intake's update (on condition nobody saved it meanwhile)
STEP_POST = 3
# session, intake, savepoint, the patient record (a new one: the address is not proven), the intake's
# update, the screening, the resume link, the clinic's profile (the receipt says how to reach the clinic,
# issue 17), the receipt in the outbox, its task for the worker, release
FINAL_SUBMIT = 11
# A first request of a process, or the first after a publication: + steps, questions, the questions asked only
# between visits (issue 14's "anything else changed"), rules, the medicine list.
RELOAD = 5


def test_a_step_page_runs_two_queries(client, django_assert_max_num_queries):
    intake = draft_at(client, 3)
    url = reverse("intake:step", args=[intake.public_id, 3])
    client.get(url)
    with django_assert_max_num_queries(STEP_GET):
        response = client.get(url)
    assert response.status_code == 200
    assert b"inflamed spots" in response.content


def test_the_first_step_page_after_a_change_reads_the_questionnaire_once(client, django_assert_max_num_queries):
    intake = draft_at(client, 3)
    selectors.forget_questionnaire()
    with django_assert_max_num_queries(STEP_GET + RELOAD):
        assert client.get(reverse("intake:step", args=[intake.public_id, 3])).status_code == 200


def test_saving_a_step_runs_three_queries(client, django_assert_max_num_queries):
    intake = draft_at(client, 3)
    client.get(reverse("intake:step", args=[intake.public_id, 3]))
    with django_assert_max_num_queries(STEP_POST):
        response = post_step(client, intake, 3)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:step", args=[intake.public_id, 4])


def test_the_final_submit_runs_eleven_queries_and_sends_the_receipt(client, mailoutbox, django_assert_max_num_queries,
                                                                  run_tasks):
    intake = draft_at(client, LAST_STEP)
    client.get(reverse("intake:step", args=[intake.public_id, LAST_STEP]))
    run_tasks()  # the resume link of step 1
    mailoutbox.clear()
    with django_assert_max_num_queries(FINAL_SUBMIT):
        response = post_step(client, intake, LAST_STEP)
    assert response["Location"] == reverse("intake:outcome", args=[intake.public_id])
    intake.refresh_from_db()
    assert (intake.status, intake.outcome) == ("submitted", "eligible")
    assert Screening.objects.filter(intake=intake).count() == 1
    assert mailoutbox == []  # the worker sends it
    run_tasks()
    assert [m.subject for m in mailoutbox] == ["We have received your answers"]


def test_a_final_submit_with_a_flag_reads_the_rule_ids_once_more(client, django_assert_max_num_queries):
    intake = draft_at(client, LAST_STEP)
    Intake.objects.filter(pk=intake.pk).update(answers={**Intake.objects.get(pk=intake.pk).answers,
                                                       "keloid_history": True})
    client.get(reverse("intake:step", args=[intake.public_id, LAST_STEP]))
    with django_assert_max_num_queries(FINAL_SUBMIT + 2):  # the flagged rules' ids, the flags
        post_step(client, intake, LAST_STEP)
    assert Screening.objects.get(intake=intake).flags.get().rule_code == "KELOID"


def test_a_final_submit_with_an_answer_missing_saves_and_goes_back_in_one_transaction(client):
    intake = draft_at(client, LAST_STEP)
    answers = Intake.objects.get(pk=intake.pk).answers
    del answers["bleeding_disorder"]
    Intake.objects.filter(pk=intake.pk).update(answers=answers)
    client.get(reverse("intake:step", args=[intake.public_id, LAST_STEP]))
    with CaptureQueriesContext(connection) as captured:
        response = post_step(client, intake, LAST_STEP)
    assert response["Location"] == reverse("intake:step", args=[intake.public_id, step_of("bleeding_disorder")])
    intake.refresh_from_db()
    assert intake.status == "draft" and intake.answers["consent_signature"] == "Alex Example"
    assert not Screening.objects.filter(intake=intake).exists()
    assert sum(q["sql"].startswith("SAVEPOINT") for q in captured.captured_queries) == 1


def test_a_step_saved_from_a_stale_read_keeps_what_another_tab_saved_meanwhile(client):
    from screening.intake.services import IntakeError, intake_save_step

    intake = draft_at(client, 3)
    stale = Intake.objects.get(pk=intake.pk)
    other_tab = Intake.objects.get(pk=intake.pk)
    intake_save_step(intake=other_tab, step_number=2, answers={"concerns": ["acne_scars"]})

    saved = intake_save_step(intake=stale, step_number=3, answers={"bleeding_disorder": False})
    stored = Intake.objects.get(pk=intake.pk)
    assert stored.answers["concerns"] == ["acne_scars"] and stored.answers["bleeding_disorder"] is False
    assert saved.answers == stored.answers and stored.completed_step == 3

    Intake.objects.filter(pk=intake.pk).update(status="submitted", outcome="eligible",
                                               submitted_at=stored.updated_at)
    with pytest.raises(IntakeError):
        intake_save_step(intake=stored, step_number=3, answers={"bleeding_disorder": True})
    assert Intake.objects.get(pk=intake.pk).answers["bleeding_disorder"] is False


def test_a_new_email_address_on_a_step_still_gets_its_resume_link(client, mailoutbox, run_tasks):
    intake = start(client)
    mailoutbox.clear()
    assert post_step(client, intake, 1).status_code == 302
    run_tasks()
    assert [m.subject for m in mailoutbox] == ["Your link to continue your form"]
    intake.refresh_from_db()
    assert intake.email == "alex@example.com" and intake.completed_step == 1


def test_a_final_submit_from_a_stale_read_screens_what_another_tab_saved_meanwhile(client, mailoutbox):
    from screening.intake.services import IntakeError, intake_finish

    intake = draft_at(client, LAST_STEP)
    stale = Intake.objects.select_related("treatment").get(pk=intake.pk)
    other_tab = Intake.objects.get(pk=intake.pk)
    other_tab.answers = {**other_tab.answers, "keloid_history": True}
    other_tab.save()

    finished = intake_finish(intake=stale, step_number=LAST_STEP,
                             answers={"consent_risks": True, "consent_signature": "Alex Example"})
    stored = Intake.objects.get(pk=intake.pk)
    assert finished.back_to is None and stored.status == "submitted"
    assert stored.outcome == "not_suitable"  # the other tab's keloid answer was screened
    assert Screening.objects.get(intake=intake).answers["keloid_history"] is True

    with pytest.raises(IntakeError):  # a second send from an old read changes nothing
        intake_finish(intake=stale, step_number=5, answers={"consent_signature": "Alex Example"})
    assert Screening.objects.filter(intake=intake).count() == 1
