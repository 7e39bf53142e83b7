"""Show-when: the form asks, keeps and starts shown exactly what the engine reads (screening.rules.is_shown).

Two follow-ups are added to the default questionnaire for these tests: one on
step 3 shown by a several-choices answer of step 2 (acne scars among the
concerns), and one shown by that follow-up's own answer (a nested show-when).
"""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from screening.intake.forms import StepForm
from screening.intake.models import Intake
from screening.questionnaire.models import Question, Step
from screening.questionnaire.selectors import forget_questionnaire, live_questionnaire
from screening.rules import hidden_codes
from tests.intake.helpers import CLEAN, complete, draft_at, post_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_ups(db):
    step = Step.objects.get(number=3)
    Question.objects.create(code="scars_treated", step=step, order=90, type="yes_no", required=True,
                            label="Have your scars been treated before?",
                            show_when_question="concerns", show_when_value="acne_scars")
    Question.objects.create(code="scars_treatment", step=step, order=91, type="text", required=True,
                            label="How were they treated?", max_length=200,
                            show_when_question="scars_treated", show_when_value=True)
    forget_questionnaire()
    yield
    forget_questionnaire()


def _step_form(number: int, data: dict | None, saved: dict) -> StepForm:
    questionnaire = live_questionnaire()
    form = StepForm(data, questions=list(questionnaire.step(number).questions.all()), answers=saved,
                    questionnaire=questionnaire)
    form.is_valid() if data is not None else None
    return form


STEP3_NO = {**CLEAN[3], "action": "next"}


@pytest.mark.parametrize(
    ("concerns", "treated", "detail"),
    list(itertools.product([["wrinkles"], ["wrinkles", "acne_scars"]], [None, "yes", "no"], ["", "laser"])),
)
def test_the_form_asks_and_keeps_what_the_engine_reads(follow_ups, concerns, treated, detail):
    saved = {"concerns": concerns}
    data = {**STEP3_NO, "scars_treatment": detail}
    if treated:
        data["scars_treated"] = treated
    form = _step_form(3, data, saved)

    engine_hidden = hidden_codes({**saved, **form.answers, "scars_treated": {"yes": True, "no": False}.get(treated)},
                                 live_questionnaire().specs_by_code)
    step_codes = [q.code for q in form.questions]
    assert set(form.hidden) == engine_hidden & set(step_codes)
    assert not set(form.answers) & set(form.hidden)  # what is not asked is not kept
    asked = {code for code in ("scars_treated", "scars_treatment") if code not in form.hidden}
    required_and_empty = {"scars_treated"} if not treated else set()
    required_and_empty |= {"scars_treatment"} if not detail else set()
    assert set(form.errors) == asked & required_and_empty


def test_a_follow_up_to_a_several_choices_answer_is_asked_when_the_answer_includes_it(client, follow_ups):
    intake = draft_at(client, 3)
    post_step(client, intake, 2, concerns=["wrinkles", "acne_scars"])
    page = client.get(reverse("intake:step", args=[intake.public_id, 3])).content.decode()
    assert '<div class="question mb-2" data-show-when="concerns" data-show-value="acne_scars">' in page

    missing = post_step(client, intake, 3)
    assert missing.status_code == 200 and "Please answer this question." in missing.content.decode()
    assert post_step(client, intake, 3, scars_treated="no").status_code == 302
    intake.refresh_from_db()
    assert intake.answers["scars_treated"] is False and "scars_treatment" not in intake.answers


def test_a_question_whose_parent_is_not_shown_starts_hidden_and_its_stale_answer_goes(client, follow_ups):
    intake = draft_at(client, 3)
    post_step(client, intake, 2, concerns=["acne_scars"])
    post_step(client, intake, 3, scars_treated="yes", scars_treatment="laser")
    intake.refresh_from_db()
    assert intake.answers["scars_treatment"] == "laser"

    post_step(client, intake, 2, concerns=["wrinkles"], action="back")  # from step 3, back to 2: the step is saved
    post_step(client, intake, 2, concerns=["wrinkles"])
    page = client.get(reverse("intake:step", args=[intake.public_id, 3])).content.decode()
    assert '<div class="question mb-2" hidden data-show-when="concerns" data-show-value="acne_scars">' in page
    assert '<div class="question mb-2" hidden data-show-when="scars_treated" data-show-value="yes">' in page

    # The stale "yes" and "laser" would be posted again by a page without its script: neither is kept.
    assert post_step(client, intake, 3, scars_treated="yes", scars_treatment="laser").status_code == 302
    intake.refresh_from_db()
    assert "scars_treated" not in intake.answers and "scars_treatment" not in intake.answers


def test_an_answer_that_is_not_asked_cannot_hold_the_patient_back(client):
    intake = draft_at(client, 3)
    # "No" to blood thinners, and a detail far over its limit that the page no longer shows.
    response = post_step(client, intake, 3, blood_thinners="no", blood_thinners_detail="x" * 600)

    assert response.status_code == 302
    intake.refresh_from_db()
    assert "blood_thinners_detail" not in intake.answers


def test_the_engine_and_the_form_agree_on_the_submitted_intake(client, follow_ups):
    intake = complete(client, answers={2: {"concerns": ["acne_scars"]},
                                       3: {"scars_treated": "yes", "scars_treatment": "microneedling"}})
    assert intake.outcome == "eligible"
    assert Intake.objects.get(pk=intake.pk).answers["scars_treatment"] == "microneedling"
