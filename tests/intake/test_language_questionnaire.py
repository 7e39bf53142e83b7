"""The questionnaire's own words in Spanish (issue 16): clinic data, English where it is missing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.questionnaire.models import Question, QuestionWording, RuleWording, Step, StepWording
from screening.questionnaire.wordings import Wordings, wordings
from screening.rules import format_day, window_words
from tests.intake.helpers import complete, start

pytestmark = pytest.mark.django_db


def _spanish(client):
    client.post(reverse("intake:language"), {"language": "es", "next": "/intake/"})


def test_the_steps_questions_and_choices_read_in_spanish(client):
    _spanish(client)
    intake = start(client)
    page = client.get(reverse("intake:step", args=[intake.public_id, 1])).content.decode()
    assert "Sobre usted" in page and "Fecha de nacimiento" in page
    goals = client.get(reverse("intake:step", args=[intake.public_id, 2]))
    assert goals.status_code in (200, 302)


def test_a_missing_or_blank_translation_is_the_english_never_empty(client):
    question = Question.objects.get(code="date_of_birth")
    QuestionWording.objects.filter(question=question).update(label="", help_text="")
    StepWording.objects.filter(step__number=1).delete()
    words = wordings("es")
    assert words.label(question) == "Date of birth"
    assert words.help_text(question) == question.help_text
    assert words.title(Step.objects.get(number=1)) == "About you"
    concerns = Question.objects.get(code="concerns")
    QuestionWording.objects.filter(question=concerns).update(choice_labels={"wrinkles": ""})
    assert dict(wordings("es").choices(concerns))["wrinkles"] == "Fine lines and wrinkles"


def test_english_reads_no_translation_at_all(django_assert_num_queries):
    with django_assert_num_queries(0):
        words = wordings("en-gb")
    assert words == Wordings()


def test_a_deferred_outcome_reads_in_spanish_with_spanish_placeholders(client):
    _spanish(client)
    last = timezone.localdate() - timedelta(days=30)
    intake = complete(client, answers={6: {"isotretinoin_last_taken__never": None,
                                           "isotretinoin_last_taken": last.isoformat()}})
    assert intake.outcome == "deferred"
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "Como ha tomado isotretinoína (Roaccutan) en los últimos 6 meses" in page
    assert f"Puede reservar a partir del {format_day(intake.eligible_from, 'es')}" in page
    assert "Puede reservar a partir del" in page and " de 20" in page  # "16 de enero de 2027"


def test_a_rule_without_spanish_shows_its_english_message(client):
    RuleWording.objects.filter(rule__code="ISOTRETINOIN").delete()
    _spanish(client)
    last = timezone.localdate() - timedelta(days=30)
    intake = complete(client, answers={6: {"isotretinoin_last_taken__never": None,
                                           "isotretinoin_last_taken": last.isoformat()}})
    page = client.get(reverse("intake:outcome", args=[intake.public_id])).content.decode()
    assert "Because you have taken isotretinoin" in page


def test_staff_read_the_answers_in_english_and_as_codes(client):
    _spanish(client)
    intake = complete(client)
    assert intake.answers["concerns"] == ["wrinkles"]  # a code, whatever the patient read
    assert intake.answers["active_acne"] is False


def test_the_placeholders_have_spanish_words():
    assert window_words(183, "days", "es") == "6 meses"
    assert window_words(14, "days", "es") == "2 semanas"
    assert window_words(1, "years", "es") == "1 año"
    assert format_day(date(2027, 1, 16), "es") == "16 de enero de 2027"
    assert format_day(date(2027, 1, 16)) == "16 January 2027"
