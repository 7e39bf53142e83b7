"""The questionnaire's versions, and the stock admin's steps and questions: readable there, never changed there.

Every question change goes through a draft at /staff/questions/ (issue 17; tests/rule_editor/
test_question_changes.py drives it): saving in the admin would go live at once, so its Question and
Step pages refuse to add, change or delete, even for a superuser.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.core.models import Treatment
from screening.intake.models import Intake
from screening.questionnaire.admin_selectors import current_questionnaire_version
from screening.questionnaire.models import Question, QuestionnaireVersion, Step
from screening.questionnaire.versions import questionnaire_publish

pytestmark = pytest.mark.django_db


def test_a_fresh_install_has_questionnaire_version_1_with_every_active_question():
    version = current_questionnaire_version()

    assert version.number == 1
    assert [q["code"] for q in version.definition["questions"]] == list(
        Question.objects.filter(active=True).values_list("code", flat=True))
    assert [s["number"] for s in version.definition["steps"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert version.rule_problems == []


def test_an_intake_keeps_the_version_it_answered():
    intake = Intake.objects.create(treatment=Treatment.objects.get(code="face"),
                                   questionnaire_version=current_questionnaire_version())
    Question.objects.filter(code="phone").update(label="Phone")
    version, created = questionnaire_publish(note="phone label")

    intake.refresh_from_db()
    assert created and version.number == 2
    assert intake.questionnaire_version.number == 1
    assert next(q["label"] for q in intake.questionnaire_version.definition["questions"]
                if q["code"] == "phone") == "Mobile phone (optional)"


def test_publishing_without_a_change_publishes_nothing():
    version, created = questionnaire_publish(note="nothing changed")

    assert not created and version.number == 1
    assert QuestionnaireVersion.objects.count() == 1


def test_retiring_a_question_that_a_rule_reads_reports_the_rule():
    Question.objects.filter(code="metal_allergy").update(active=False)
    version, _created = questionnaire_publish()

    assert version.rule_problems == [{"rule": "METAL_ALLERGY",
                                      "problems": ["Condition 1: unknown question 'metal_allergy'."]}]


def test_the_admin_question_page_cannot_change_a_question(admin_client):
    question = Question.objects.get(code="metal_allergy")
    url = reverse("admin:questionnaire_question_change", args=[question.pk])

    page = admin_client.get(url)
    changed = admin_client.post(url, {"label": "Are you allergic to nickel?", "step": question.step_id,
                                      "order": question.order, "type": "yes_no", "kind": "none"})
    added = admin_client.post(reverse("admin:questionnaire_question_add"), {"code": "sunbed_use", "label": "Sunbed?"})

    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="_save"' not in content and 'name="label"' not in content  # shown, not a form
    assert reverse("questions:list") in content  # where a change is made, through a draft
    assert question.label in content
    assert changed.status_code == added.status_code == 403
    assert Question.objects.get(pk=question.pk).label == question.label
    assert not Question.objects.filter(code="sunbed_use").exists()
    assert QuestionnaireVersion.objects.count() == 1  # nothing went live


def test_the_admin_step_page_cannot_change_a_step(admin_client):
    step = Step.objects.get(number=4)
    url = reverse("admin:questionnaire_step_change", args=[step.pk])

    page = admin_client.get(url)
    changed = admin_client.post(url, {"number": 4, "title": "Something else", "intro": ""})

    assert page.status_code == 200 and reverse("questions:list") in page.content.decode()
    assert changed.status_code == 403
    assert admin_client.post(reverse("admin:questionnaire_step_delete", args=[step.pk]), {"post": "yes"}).status_code == 403
    assert Step.objects.get(pk=step.pk).title == step.title
    assert QuestionnaireVersion.objects.count() == 1


def test_the_admin_question_list_points_to_the_drafts(admin_client):
    page = admin_client.get(reverse("admin:questionnaire_question_changelist"))

    assert page.status_code == 200 and reverse("questions:list") in page.content.decode()
    assert reverse("admin:questionnaire_question_add") not in page.content.decode()


def test_questions_are_retired_not_deleted(admin_client):
    question = Question.objects.get(code="phone")

    response = admin_client.post(reverse("admin:questionnaire_question_delete", args=[question.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()


def test_the_versions_are_readable_and_never_editable(admin_client):
    version = current_questionnaire_version()

    page = admin_client.get(reverse("admin:questionnaire_questionnaireversion_change", args=[version.pk]))
    edit = admin_client.post(reverse("admin:questionnaire_questionnaireversion_change", args=[version.pk]), {})

    assert page.status_code == 200 and b"metal_allergy" in page.content
    assert edit.status_code == 403
