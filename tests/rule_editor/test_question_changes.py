"""Questions through drafts (issue 17): a change is asked of nobody until published; publishing is a separate,
audited step that publishes a questionnaire version; the list shows wording, not codes."""

from __future__ import annotations

import pytest

from screening.audit.models import AuditAction, AuditEvent
from screening.questionnaire.models import Question, QuestionChange, QuestionnaireVersion, Step
from screening.questionnaire.question_changes import (
    change_rule_problems,
    question_change_discard,
    question_change_new,
    question_change_publish,
    question_change_save,
    question_change_start,
)
from screening.questionnaire.selectors import live_questionnaire
from screening.questionnaire.services import RulesAdminError

pytestmark = pytest.mark.django_db


def latest_version() -> int:
    return QuestionnaireVersion.objects.order_by("-number").first().number


def test_a_changed_wording_is_live_only_once_published(admin):
    question = Question.objects.get(code="isotretinoin_last_taken")
    before = latest_version()
    change = question_change_start(question=question, by=admin)
    assert question_change_start(question=question, by=admin) == change  # one open change per question
    question_change_save(change=change, fields={"label": "When did you last take an isotretinoin tablet?",
                                                "required": False}, by=admin)
    question.refresh_from_db()
    assert question.label == "When did you last take isotretinoin?"  # live intakes: unchanged
    assert live_questionnaire().specs_by_code["isotretinoin_last_taken"]["required"] is True
    assert latest_version() == before

    version = question_change_publish(change=change, by=admin)
    question.refresh_from_db()
    assert question.label == "When did you last take an isotretinoin tablet?" and question.required is False
    assert version.number == before + 1
    assert AuditEvent.objects.filter(action=AuditAction.QUESTION_CHANGE_PUBLISHED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.QUESTIONNAIRE_PUBLISHED).count() == 1
    with pytest.raises(RulesAdminError, match="already published"):
        question_change_publish(change=change, by=admin)


def test_a_new_required_question_is_asked_of_nobody_until_published(admin):
    step = Step.objects.order_by("number").first()
    change = question_change_new(step=step, label="Do you have a tattoo on the area?", type="yes_no", by=admin)
    assert change.code == "do_you_have_a_tattoo_on_the_area" and change.required
    assert not Question.objects.filter(code=change.code).exists()
    assert change.code not in live_questionnaire().specs_by_code
    question_change_publish(change=change, by=admin)
    assert Question.objects.get(code=change.code).step == step
    assert change.code in live_questionnaire().specs_by_code


def test_removing_an_answer_a_rule_reads_is_reported(admin):
    from screening.questionnaire.models import Rule

    question = Question.objects.filter(type="choice", active=True).exclude(choices=[]).first()
    first = question.choices[0]["code"]
    Rule.objects.create(code="READS_FIRST", name="Reads the first answer", severity="review",
                        conditions=[{"question": question.code, "op": "in", "value": [first]}],
                        staff_message="Check.", patient_message="We will check.")
    change = question_change_start(question=question, by=admin)
    change = question_change_save(change=change, fields={"choices": question.choices[1:]}, by=admin)
    assert "READS_FIRST" in [p["rule"] for p in change_rule_problems(change)]
    change = question_change_save(change=change, fields={"choices": question.choices}, by=admin)
    assert "READS_FIRST" not in [p["rule"] for p in change_rule_problems(change)]


def test_a_discarded_change_is_kept_and_not_published(admin):
    change = question_change_start(question=Question.objects.get(code="isotretinoin_last_taken"), by=admin)
    question_change_discard(change=change, by=admin)
    change.refresh_from_db()
    assert change.status == QuestionChange.Status.DISCARDED
    with pytest.raises(RulesAdminError):
        question_change_discard(change=change, by=admin)
    with pytest.raises(RulesAdminError):
        question_change_save(change=change, fields={"label": "x"}, by=admin)


# --- the pages -------------------------------------------------------------------------------------------


def test_the_list_shows_wording_not_codes(admin_client):
    body = admin_client.get("/staff/questions/").content.decode()
    assert "When did you last take isotretinoin?" in body
    assert ">isotretinoin_last_taken<" not in body


def test_a_change_through_the_pages_preview_then_publish(admin_client):
    question = Question.objects.get(code="isotretinoin_last_taken")
    response = admin_client.post(f"/staff/questions/{question.pk}/change/")
    change = QuestionChange.objects.get(code=question.code, status="draft")
    assert response["Location"] == f"/staff/questions/changes/{change.pk}/"
    data = {"label": "When did you last take isotretinoin (Roaccutane)?", "help_text": "", "step": question.step_id,
            "required": "on", "active": "on", "note": "clearer"}
    response = admin_client.post(f"/staff/questions/changes/{change.pk}/", data)
    assert response["Location"] == f"/staff/questions/changes/{change.pk}/preview/"
    preview = admin_client.get(response["Location"]).content.decode()
    assert "When did you last take isotretinoin (Roaccutane)?" in preview  # drawn as the patient sees it
    assert 'id="phone-preview"' in preview and "Isotretinoin taken recently" in preview  # a rule it affects
    assert Question.objects.get(pk=question.pk).label == "When did you last take isotretinoin?"
    response = admin_client.post(f"/staff/questions/changes/{change.pk}/publish/", follow=True)
    assert "Published: new intakes answer questionnaire version" in response.content.decode()
    assert Question.objects.get(pk=question.pk).label == "When did you last take isotretinoin (Roaccutane)?"


def test_choices_are_edited_by_their_wording(admin_client):
    question = Question.objects.filter(type="choice", active=True).exclude(choices=[]).first()
    admin_client.post(f"/staff/questions/{question.pk}/change/")
    change = QuestionChange.objects.get(code=question.code, status="draft")
    data = {"label": question.label, "step": question.step_id, "active": "on",
            **{f"answer_{c['code']}": c["label"] for c in question.choices}, "new_answer_1": "Something else"}
    response = admin_client.post(f"/staff/questions/changes/{change.pk}/", data)
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.choices[-1] == {"code": "something_else", "label": "Something else"}
    assert [c["code"] for c in change.choices[:-1]] == [c["code"] for c in question.choices]  # codes kept


@pytest.mark.parametrize("changes, message", [
    ({"label": ""}, "This field is required."),
    ({"step": "999"}, "Select a valid choice."),
    ({"new_answer_1": "Same", "new_answer_2": "same"}, "Two answers have the same wording"),
    ("all answers emptied", "needs at least two answers"),
])
def test_bad_input_on_a_question_change_is_refused_and_kept(admin_client, changes, message):
    question = Question.objects.filter(type="choice", active=True).exclude(choices=[]).first()
    admin_client.post(f"/staff/questions/{question.pk}/change/")
    change = QuestionChange.objects.get(code=question.code, status="draft")
    data = {"label": "Kept wording?", "step": question.step_id, "active": "on",
            **{f"answer_{c['code']}": c["label"] for c in question.choices}}
    if changes == "all answers emptied":
        data.update({f"answer_{c['code']}": "" for c in question.choices})
    else:
        data.update(changes)
    response = admin_client.post(f"/staff/questions/changes/{change.pk}/", data)
    assert response.status_code == 400 and message in response.content.decode()
    if "label" not in changes:
        assert 'value="Kept wording?"' in response.content.decode()
    change.refresh_from_db()
    assert change.label == question.label


@pytest.mark.parametrize("data, message", [
    ({"step": "", "label": "A question?", "type": "yes_no"}, "This field is required."),
    ({"step": "1", "label": "", "type": "yes_no"}, "This field is required."),
    ({"step": "1", "label": "A question?", "type": "essay"}, "Select a valid choice."),
])
def test_bad_input_for_a_new_question_is_refused(admin_client, data, message):
    if data["step"]:
        data["step"] = str(Step.objects.order_by("number").first().pk)
    response = admin_client.post("/staff/questions/new/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not QuestionChange.objects.exists()
