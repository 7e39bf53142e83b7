"""Questionnaire editing: every change publishes a frozen version; rules left behind are reported."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from screening.core.models import Treatment
from screening.intake.models import Intake
from screening.questionnaire.admin_selectors import current_questionnaire_version
from screening.questionnaire.models import Question, QuestionnaireVersion, Step
from screening.questionnaire.versions import questionnaire_publish
from tests.rules_admin.conftest import draft_form, submit_intake

pytestmark = pytest.mark.django_db


def _question_form(question: Question | None = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "sunbed_use", "step": Step.objects.get(number=4).pk, "order": 99, "type": "yes_no", "kind": "none",
        "label": "Do you have a tattoo in the area?", "help_text": "", "required": "on", "active": "on",
        "choices_text": "", "show_when_question": "", "show_when_value": "", "max_length": "",
        # The inline of the question's other languages (issue 16): no rows posted, none changed.
        "wordings-TOTAL_FORMS": 0, "wordings-INITIAL_FORMS": 0, "wordings-MIN_NUM_FORMS": 0,
        "wordings-MAX_NUM_FORMS": 1000,
    }
    if question is not None:
        data.update(
            code=question.code, step=question.step_id, order=question.order, type=question.type, kind=question.kind,
            label=question.label,
            help_text=question.help_text, show_when_question=question.show_when_question,
            choices_text="\n".join(f"{c['code']}: {c['label']}" for c in question.choices),
            show_when_value="" if question.show_when_value is None else str(question.show_when_value).lower(),
            max_length=question.max_length or "",
        )
        for flag in ("required", "active", "must_be_true", "past_only", "allow_never"):
            if getattr(question, flag):
                data[flag] = "on"
            else:
                data.pop(flag, None)
    data.update(fields)
    return {k: v for k, v in data.items() if v is not False}


def _change(client, code: str, **fields):
    question = Question.objects.get(code=code)
    url = reverse("admin:questionnaire_question_change", args=[question.pk])
    return client.post(url, _question_form(question, **fields), follow=True)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_fresh_install_has_questionnaire_version_1_with_every_active_question():
    version = current_questionnaire_version()

    assert version.number == 1
    assert [q["code"] for q in version.definition["questions"]] == list(
        Question.objects.filter(active=True).values_list("code", flat=True))
    assert [s["number"] for s in version.definition["steps"]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert version.rule_problems == []


def test_changing_a_question_publishes_a_new_version_and_the_old_one_stays_frozen(admin_client, admin_user):
    v1 = current_questionnaire_version()
    frozen = v1.definition

    response = _change(admin_client, "metal_allergy", label="Are you allergic to nickel?")

    v2 = current_questionnaire_version()
    assert v2.number == 2 and v2.published_by == admin_user
    assert "Published questionnaire version 2" in _messages(response)
    label = next(q["label"] for q in v2.definition["questions"] if q["code"] == "metal_allergy")
    assert label == "Are you allergic to nickel?"
    v1.refresh_from_db()
    assert v1.definition == frozen


def test_saving_without_a_change_publishes_nothing(admin_client):
    _change(admin_client, "metal_allergy")

    assert QuestionnaireVersion.objects.count() == 1


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


def test_retiring_a_question_that_a_rule_reads_reports_the_rule(admin_client):
    response = _change(admin_client, "metal_allergy", active=False)

    version = current_questionnaire_version()
    assert version.rule_problems == [{"rule": "METAL_ALLERGY",
                                      "problems": ["Condition 1: unknown question 'metal_allergy'."]}]
    assert "Rule METAL_ALLERGY refers to a question that is missing" in _messages(response)


def test_a_new_choice_question_is_added_with_its_choices_and_a_rule_can_use_it(admin_client, admin_user):
    response = admin_client.post(reverse("admin:questionnaire_question_add"), _question_form(
        code="skin_type", type="choice", label="Your skin type", choices_text="i: Type I\nii: Type II\nvi: Type VI"))
    assert response.status_code == 302

    question = Question.objects.get(code="skin_type")
    assert question.choices == [{"code": "i", "label": "Type I"}, {"code": "ii", "label": "Type II"},
                                {"code": "vi", "label": "Type VI"}]
    assert "skin_type" in [q["code"] for q in current_questionnaire_version().definition["questions"]]
    data = draft_form(code="DARK_SKIN", severity="review",
                      conditions=[{"question": "skin_type", "op": "in", "value": "vi"}],
                      examples=[{"answers": '{"skin_type": "vi"}', "expected": "review"}])
    assert admin_client.post(reverse("admin:questionnaire_ruledraft_add"), data).status_code == 302


def test_a_choice_question_needs_choices_and_well_formed_codes(admin_client):
    url = reverse("admin:questionnaire_question_add")
    one = admin_client.post(url, _question_form(type="choice", choices_text="only: Only one"))
    bad = admin_client.post(url, _question_form(type="choice", choices_text="Type I: one\nii: two"))

    assert "at least two choices" in " ".join(one.context["adminform"].form.errors["choices_text"])
    assert "must be lower-case" in " ".join(bad.context["adminform"].form.errors["choices_text"])
    assert not Question.objects.filter(code="sunbed_use").exists()


def test_a_show_when_condition_must_name_another_question_and_a_value_that_fits_it(admin_client):
    url = reverse("admin:questionnaire_question_add")
    missing = admin_client.post(url, _question_form(show_when_question="no_such_question", show_when_value="true"))
    wrong_value = admin_client.post(url, _question_form(show_when_question="diabetes", show_when_value='"sometimes"'))
    fine = admin_client.post(url, _question_form(show_when_question="diabetes", show_when_value='"uncontrolled"'))

    assert "show_when_question" in missing.context["adminform"].form.errors
    assert "one of none, controlled, uncontrolled" in " ".join(
        wrong_value.context["adminform"].form.errors["show_when_value"])
    assert fine.status_code == 302
    assert Question.objects.get(code="sunbed_use").show_when_value == "uncontrolled"


def test_the_type_of_an_answered_question_can_no_longer_change(admin_client):
    submit_intake()

    response = _change(admin_client, "metal_allergy", type="text")

    assert "its type can no longer change" in " ".join(response.context["adminform"].form.errors["type"])
    assert Question.objects.get(code="metal_allergy").type == "yes_no"


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


def test_a_questions_kind_is_set_in_the_admin_and_must_fit_its_type(admin_client):
    url = reverse("admin:questionnaire_question_add")
    assert 'name="kind"' in admin_client.get(url).content.decode()
    misfit = admin_client.post(url, _question_form(code="work_phone", type="yes_no", kind="phone"))
    assert "Phone number needs a text question." in " ".join(misfit.context["adminform"].form.errors["kind"])

    Question.objects.filter(code="phone").update(active=False)
    fine = admin_client.post(url, _question_form(code="work_phone", type="text", kind="phone", label="Work phone"))
    assert fine.status_code == 302
    assert Question.objects.get(code="work_phone").kind == "phone"
    kinds = {q["code"]: q["kind"] for q in current_questionnaire_version().definition["questions"]}
    assert kinds["work_phone"] == "phone" and "phone" not in kinds


def test_a_second_active_question_of_one_kind_is_refused_with_a_message(admin_client):
    response = admin_client.post(reverse("admin:questionnaire_question_add"),
                                 _question_form(code="second_email", type="text", kind="email"))

    assert response.status_code == 200
    assert "Another active question is already of this kind." in response.content.decode()
    assert not Question.objects.filter(code="second_email").exists()
