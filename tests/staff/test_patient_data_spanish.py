"""Issue 16: "Your data" in the patient's language; the download stays in English, with the codes beside."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from screening.booking import data_words
from screening.booking.models import BookingStatus
from screening.intake.models import Intake
from screening.outbox.models import Channel, MessageStatus
from screening.questionnaire.models import Outcome
from tests.staff.conftest import patient_client

pytestmark = pytest.mark.django_db


def _spanish(intake):
    client = patient_client(intake)
    client.post(reverse("intake:language"), {"language": "es", "next": "/intake/"})
    return client


def test_the_page_reads_labels_and_values_in_spanish(personas):
    intake = personas.intake_a
    page = _spanish(intake).get(reverse("booking:your_data", args=[intake.public_id])).content.decode()
    assert "Los datos que tenemos sobre usted" in page or "Sus datos" in page
    assert "Cara y cuello" in page  # the treatment in the clinic's Spanish
    assert "Fecha de nacimiento" in page and "Date of birth" not in page  # the questions as they read them
    assert "Enviado" in page and "Submitted" not in page
    assert "Lo revisa un profesional clínico" in page and "Needs review" not in page
    assert "Confirmada" in page or "Reservada" in page
    assert ">No<" in page and ">Yes<" not in page  # a yes/no answer
    assert "El archivo está en inglés" in page


def test_a_choice_answer_reads_its_spanish_label_and_a_date_its_spanish_month(personas):
    intake = personas.intake_a
    Intake.objects.filter(pk=intake.pk).update(answers={**intake.answers, "concerns": ["wrinkles"],
                                                        "date_of_birth": "1990-04-03"})
    page = _spanish(intake).get(reverse("booking:your_data", args=[intake.public_id])).content.decode()
    assert "Líneas finas y arrugas" in page and "3 de abril de 1990" in page


def test_the_download_stays_in_english_with_the_codes(personas):
    intake = personas.intake_a
    response = _spanish(intake).get(reverse("booking:your_data_download", args=[intake.public_id]))
    [item] = json.loads(response.content)["intakes"]
    assert item["status"] == "Submitted" and item["treatment"] == "Face and neck"
    assert item["screenings"][0]["result"] == "Needs review"
    answers = {a["code"]: a for a in item["answers"]}
    assert answers["date_of_birth"]["question"] == "Date of birth"


def test_the_english_words_are_the_records_own_labels():
    for words, choices in [(data_words.RESULT, Outcome), (data_words.BOOKING_STATUS, BookingStatus),
                           (data_words.CHANNEL, Channel), (data_words.MESSAGE_STATUS, MessageStatus),
                           (data_words.INTAKE_STATUS, Intake.Status)]:
        assert {code: str(text) for code, text in words.items()} == dict(choices.choices)


def test_the_screenings_messages_read_in_spanish_on_the_page_and_in_english_in_the_download(personas):
    from screening.intake.models import Flag
    from screening.questionnaire.models import Rule, RuleWording

    intake = personas.intake_a
    flag = Flag.objects.filter(screening__intake=intake).exclude(severity="info").exclude(patient_message="").first()
    assert flag is not None, "the review persona's screening carries a flag with a message to the patient"
    RuleWording.objects.update_or_create(rule=Rule.objects.get(code=flag.rule_code), language="es",
                                         defaults={"patient_message": "Mensaje de la clínica para usted."})
    client = _spanish(intake)
    page = client.get(reverse("booking:your_data", args=[intake.public_id])).content.decode()
    assert "Mensaje de la clínica para usted." in page
    assert flag.patient_message not in page
    [item] = json.loads(client.get(reverse("booking:your_data_download", args=[intake.public_id])).content)["intakes"]
    assert item["screenings"][0]["messages"] == [flag.patient_message]
