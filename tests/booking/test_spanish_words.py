"""Issue 16: a Spanish patient reads the treatment, the clinic's texts and their pre-care in Spanish, on the
booking page, in the confirmation and in the calendar file; the English where the clinic wrote no Spanish."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from screening.booking import pre_care as booking_pre_care
from screening.booking.ics import booking_ics
from screening.booking.services import booking_create
from screening.core.models import ClinicSettings, ClinicWording, Treatment, TreatmentWording
from screening.core.wordings import clinic_texts, treatment_words
from screening.rules import precare
from tests.booking.conftest import at, client_for, today

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _spanish_booking(make_intake, calendar):
    ClinicSettings.objects.filter(pk=1).update(cancellation_text="Tell us a day before.")
    ClinicWording.objects.update_or_create(language="es", defaults={"cancellation_text": "Avísenos un día antes."})
    intake = make_intake()
    intake.language = "es"
    intake.save(update_fields=["language"])
    return booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=20), 14))


def test_the_booking_page_names_the_treatment_and_the_pre_care_in_spanish(make_intake, calendar):
    booking = _spanish_booking(make_intake, calendar)
    client = client_for(booking.intake)
    client.post(reverse("intake:language"), {"language": "es", "next": "/intake/"})
    page = client.get(reverse("booking:booking", args=[booking.intake.public_id])).content.decode()
    assert "Cara y cuello" in page and "Face and neck" not in page
    assert "Nada de peelings, láser ni IPL después del" in page and " de " in page
    assert "Evite tomar el sol" in page  # the clinic's own pre-care, in its Spanish
    assert "Avísenos un día antes." in page and "Tell us a day before." not in page


def test_the_confirmation_and_its_calendar_file_are_in_spanish(make_intake, calendar, run_tasks):
    mail.outbox.clear()
    booking = _spanish_booking(make_intake, calendar)
    run_tasks()
    [email] = [m for m in mail.outbox if m.subject.startswith("Su cita está confirmada")]
    assert "Cara y cuello" in email.body and "Face and neck" not in email.body
    assert "Nada de peelings, láser ni IPL después del" in email.body
    assert "Evite tomar el sol" in email.body and "Avísenos un día antes." in email.body
    with translation.override("es"):
        [event] = Calendar.from_ical(booking_ics(booking, tz=LONDON)).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Cara y cuello")


def test_an_english_patient_reads_the_english(make_intake, calendar, run_tasks):
    mail.outbox.clear()
    booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=20), 14))
    run_tasks()
    [email] = [m for m in mail.outbox if "confirmed" in m.subject]
    assert "Face and neck" in email.body and "No peel, laser or IPL after" in email.body
    assert "Cara y cuello" not in email.body


def test_a_missing_or_blank_spanish_is_the_english_never_empty(calendar, django_assert_num_queries):
    face = Treatment.objects.get(code="face")
    TreatmentWording.objects.filter(treatment=face).update(description="")
    assert treatment_words(face, "es") == treatment_words(face, "es")  # read once, then kept on the instance
    words = treatment_words(Treatment.objects.get(pk=face.pk), "es")
    assert (words.name, words.description) == ("Cara y cuello", face.description)
    TreatmentWording.objects.filter(treatment=face).delete()
    assert treatment_words(Treatment.objects.get(pk=face.pk), "es").name == "Face and neck"
    ClinicWording.objects.filter(language="es").update(pre_care_text="  ")
    profile = ClinicSettings.objects.get(pk=1)
    assert clinic_texts(profile, "es").pre_care_text == profile.pre_care_text
    with django_assert_num_queries(0):
        assert treatment_words(face, "en-gb").name == "Face and neck"


def test_a_text_the_clinic_emptied_in_english_is_not_shown_in_spanish(calendar):
    ClinicSettings.objects.filter(pk=1).update(pre_care_text="")
    ClinicWording.objects.update_or_create(language="es", defaults={"pre_care_text": "Piel limpia"})
    assert clinic_texts(ClinicSettings.objects.get(pk=1), "es").pre_care_text == ""


def test_the_start_page_lists_the_treatments_in_spanish(client, calendar):
    client.post(reverse("intake:language"), {"language": "es", "next": "/intake/"})
    page = client.get(reverse("intake:start")).content.decode()
    assert "Cara y cuello" in page and "Cuero cabelludo (caída del cabello)" in page


def test_every_engine_phrase_has_its_words_here_with_the_same_english():
    assert set(booking_pre_care.PHRASES) == set(precare.PHRASES)
    with translation.override("en"):
        assert {code: str(text) for code, text in booking_pre_care.PHRASES.items()} == precare.PHRASES


def test_a_pre_care_sentence_reads_in_spanish_with_its_spanish_day():
    line = precare.PreCare(rule="PEEL", question="peel_or_laser_last_date", text="No peel, laser or IPL",
                           last_day=date(2027, 1, 16))
    with translation.override("es"):
        assert booking_pre_care.pre_care_sentence(line) == "Nada de peelings, láser ni IPL después del sábado 16 de enero"
        assert booking_pre_care.pre_care_sentence(line, today=date(2027, 1, 17)) == \
            "Nada de peelings, láser ni IPL antes de su cita"
    with translation.override("en-gb"):
        assert booking_pre_care.pre_care_sentence(line) == line.sentence()


def test_a_question_the_engine_names_by_its_rule_keeps_the_rules_words():
    line = precare.PreCare(rule="SAUNA", question="sauna_last_date", text="Not: Sauna recently",
                           last_day=date(2027, 1, 12))
    with translation.override("es"):
        assert booking_pre_care.pre_care_sentence(line) == "Not: Sauna recently después del martes 12 de enero"


def test_the_defaults_spanish_installs_once_and_fills_the_demo_policy_beside_its_english(calendar):
    from screening.questionnaire.default_wordings_es import CLINIC_TEXTS_ES
    from screening.questionnaire.seed_wordings import install_clinic_wordings

    models = {"Treatment": Treatment, "TreatmentWording": TreatmentWording, "ClinicSettings": ClinicSettings,
              "ClinicWording": ClinicWording}
    english, spanish = CLINIC_TEXTS_ES["cancellation_text"]
    ClinicSettings.objects.filter(pk=1).update(cancellation_text=english)
    assert install_clinic_wordings(**models) == {"treatments": 0, "clinic_texts": 0}  # rows there: kept
    assert ClinicWording.objects.get(language="es").cancellation_text == spanish  # an empty one, filled
    ClinicWording.objects.filter(language="es").update(cancellation_text="Nuestras palabras.")
    install_clinic_wordings(**models)
    assert ClinicWording.objects.get(language="es").cancellation_text == "Nuestras palabras."  # the clinic's kept


def test_the_defaults_english_is_the_models_and_the_demos(db):
    from screening.questionnaire.default_wordings_es import CLINIC_TEXTS_ES, TREATMENTS_ES
    from screening.questionnaire.defaults import TREATMENTS
    from screening.setup.demo import seed_calendar

    assert {t["code"]: t["name"] for t in TREATMENTS} == {code: words[0] for code, words in TREATMENTS_ES.items()}
    for field in ("pre_care_text", "aftercare_text"):
        assert ClinicSettings._meta.get_field(field).default == CLINIC_TEXTS_ES[field][0]
    ClinicSettings.objects.all().delete()
    seed_calendar()
    assert ClinicSettings.objects.get(pk=1).cancellation_text == CLINIC_TEXTS_ES["cancellation_text"][0]
