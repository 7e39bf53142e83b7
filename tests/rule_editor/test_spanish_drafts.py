"""Issue 16: the question drafts and the rule editor show and edit the Spanish beside the English; a draft holds
its Spanish, which goes live when the draft is published, never before."""

from __future__ import annotations

import pytest

from screening.questionnaire.models import Question, QuestionChange, QuestionWording, RuleDraft, RuleWording
from screening.questionnaire.wordings import wordings
from tests.rule_editor.test_rule_editor import editor_data, start

pytestmark = pytest.mark.django_db

ISOTRETINOIN_ES = "¿Cuándo tomó isotretinoína por última vez? (nuevo)"


def _question_change(admin_client, question: Question) -> QuestionChange:
    admin_client.post(f"/staff/questions/{question.pk}/change/")
    return QuestionChange.objects.get(code=question.code, status="draft")


def test_a_question_draft_starts_with_the_live_spanish_shown_beside_the_english(admin_client):
    question = Question.objects.get(code="isotretinoin_last_taken")
    live = QuestionWording.objects.get(question=question, language="es")
    change = _question_change(admin_client, question)
    assert change.translations["es"]["label"] == live.label
    page = admin_client.get(f"/staff/questions/changes/{change.pk}/").content.decode()
    assert "The question in Spanish" in page and live.label in page and 'lang="es"' in page
    assert page.index('name="label"') < page.index('name="label_es"') < page.index('name="help_text"')


def test_the_spanish_of_a_question_goes_live_only_when_published(admin_client):
    question = Question.objects.get(code="isotretinoin_last_taken")
    before = QuestionWording.objects.get(question=question, language="es").label
    change = _question_change(admin_client, question)
    data = {"label": question.label, "label_es": ISOTRETINOIN_ES, "help_text": question.help_text,
            "help_text_es": "", "step": question.step_id, "required": "on", "active": "on"}
    assert admin_client.post(f"/staff/questions/changes/{change.pk}/", data).status_code == 302
    assert wordings("es").label(question) == before  # a draft: nobody reads it yet
    admin_client.post(f"/staff/questions/changes/{change.pk}/publish/")
    assert wordings("es").label(question) == ISOTRETINOIN_ES
    assert wordings("es").help_text(question) == question.help_text  # left empty: the English


def test_answers_get_their_spanish_by_code_new_ones_too(admin_client):
    question = Question.objects.get(code="concerns")
    change = _question_change(admin_client, question)
    data = {"label": question.label, "step": question.step_id, "active": "on",
            **{f"answer_{c['code']}": c["label"] for c in question.choices},
            "answer_wrinkles_es": "Arrugas finas", "new_answer_1": "Dark circles", "new_answer_1_es": "Ojeras"}
    assert admin_client.post(f"/staff/questions/changes/{change.pk}/", data).status_code == 302
    change.refresh_from_db()
    assert change.translations["es"]["choice_labels"] == {"wrinkles": "Arrugas finas", "dark_circles": "Ojeras"}
    admin_client.post(f"/staff/questions/changes/{change.pk}/publish/")
    labels = dict(wordings("es").choices(Question.objects.get(pk=question.pk)))
    assert labels["wrinkles"] == "Arrugas finas" and labels["dark_circles"] == "Ojeras"
    english = {c["code"]: c["label"] for c in question.choices}
    assert labels["acne_scars"] == english["acne_scars"]  # left empty: the English, never a blank


def test_a_spanish_question_too_long_is_refused_and_kept(admin_client):
    question = Question.objects.get(code="isotretinoin_last_taken")
    change = _question_change(admin_client, question)
    data = {"label": question.label, "label_es": "x" * 301, "help_text_es": "Guardado", "step": question.step_id,
            "active": "on"}
    response = admin_client.post(f"/staff/questions/changes/{change.pk}/", data)
    assert response.status_code == 400 and "Guardado" in response.content.decode()


def test_the_rule_editor_shows_the_spanish_message_and_its_live_preview(admin_client, isotretinoin):
    live = RuleWording.objects.get(rule=isotretinoin, language="es").patient_message
    draft = start(admin_client, isotretinoin)
    assert draft.translations["es"]["patient_message"] == live
    page = admin_client.get(f"/staff/rules/drafts/{draft.pk}/").content.decode()
    assert "Message for the patient in Spanish" in page
    assert "The same patient, reading Spanish" in page and "6 meses" in page  # placeholders filled in Spanish
    data = editor_data(admin_client, draft.pk, **{"rule-patient_message_es": "Espere {window}."})
    words = admin_client.post(f"/staff/rules/drafts/{draft.pk}/words/", data).content.decode()
    assert "Espere 6 meses." in words


def test_the_spanish_message_is_saved_on_the_draft_and_live_once_published(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    data = editor_data(admin_client, draft.pk, **{"rule-patient_message_es": "Espere {window}, por favor."})
    assert admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.translations == {"es": {"patient_message": "Espere {window}, por favor."}}
    assert RuleWording.objects.get(rule=isotretinoin, language="es").patient_message != draft.translations["es"][
        "patient_message"]
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/publish/")
    assert response.status_code == 302
    assert RuleDraft.objects.get(pk=draft.pk).status == "published"
    assert RuleWording.objects.get(rule=isotretinoin, language="es").patient_message == "Espere {window}, por favor."


def test_a_translated_placeholder_name_is_refused_on_its_field(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    data = editor_data(admin_client, draft.pk, **{"rule-patient_message_es": "Espere {ventana}."})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "{ventana} is not a placeholder" in page and "Espere {ventana}." in page


def test_the_published_version_keeps_the_spanish_it_was_published_with(admin_client):
    from screening.questionnaire.admin_selectors import current_questionnaire_version

    question = Question.objects.get(code="isotretinoin_last_taken")
    before = current_questionnaire_version()
    change = _question_change(admin_client, question)
    data = {"label": question.label, "label_es": ISOTRETINOIN_ES, "help_text": question.help_text,
            "step": question.step_id, "required": "on", "active": "on"}
    admin_client.post(f"/staff/questions/changes/{change.pk}/", data)
    admin_client.post(f"/staff/questions/changes/{change.pk}/publish/")
    after = current_questionnaire_version()
    assert after.number == before.number + 1
    assert after.definition["translations"]["es"]["questions"]["isotretinoin_last_taken"]["label"] == ISOTRETINOIN_ES
    before.refresh_from_db()
    assert before.definition["translations"]["es"]["questions"]["isotretinoin_last_taken"]["label"] != ISOTRETINOIN_ES
