"""Issue 16: a treatment's and the clinic's words in Spanish, edited beside the English on the set-up pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.audit.models import AuditEvent
from screening.core.models import ClinicWording, Treatment, TreatmentWording
from tests.staff.conftest import staff_client

pytestmark = pytest.mark.django_db

TREATMENT = {"name": "Neck", "code": "neck", "description": "Smooths the neck.", "duration_minutes": "45",
             "price": "80", "buffer_minutes": "0", "min_notice_hours": "0", "max_days_ahead": "60", "active": "on",
             "order": "5"}
PROFILE = {"name": "High Street Skin", "email": "hello@clinic.example", "reply_to": "", "time_zone": "Europe/London",
           "address": "1 High Street", "phone": "020 7946 0000", "cancellation_text": "Tell us a day before.",
           "pre_care_text": "Clean skin", "aftercare_text": "Sunscreen", "reminder_hours": "48, 3",
           "recheck_hours": "48", "recheck_cutoff_hours": "12", "follow_up_days": "3", "full_intake_months": "6",
           "hold_min_notice_hours": "24", "hold_ends_before_hours": "12", "hold_alert_hours": "3",
           "retention_days": "90"}


@pytest.fixture
def admin(personas):
    return staff_client(personas.clinic_admin)


def test_the_treatment_page_shows_the_spanish_right_after_the_english(admin):
    face = Treatment.objects.get(code="face")
    page = admin.get(reverse("setup:treatment", args=[face.pk])).content.decode()
    assert "Name in Spanish" in page and "Description in Spanish" in page
    assert 'value="Cara y cuello"' in page and 'lang="es"' in page
    assert page.index('name="name"') < page.index('name="name_es"') < page.index('name="code"')


def test_a_new_treatment_is_saved_with_its_spanish_and_audited(admin):
    response = admin.post(reverse("setup:treatment_new"), {**TREATMENT, "name_es": "Cuello",
                                                           "description_es": "Suaviza el cuello."})
    assert response.status_code == 302
    words = TreatmentWording.objects.get(treatment__code="neck", language="es")
    assert (words.name, words.description) == ("Cuello", "Suaviza el cuello.")
    line = AuditEvent.objects.filter(action="setup_changed").latest("pk")
    assert "words in es" in line.detail


def test_a_treatment_left_without_spanish_gets_no_row(admin):
    assert admin.post(reverse("setup:treatment_new"), TREATMENT).status_code == 302
    assert not TreatmentWording.objects.filter(treatment__code="neck").exists()


def test_changing_the_spanish_only_changes_the_spanish(admin):
    face = Treatment.objects.get(code="face")
    data = {**TREATMENT, "name": face.name, "code": "face", "name_es": "Rostro y cuello", "description_es": ""}
    assert admin.post(reverse("setup:treatment", args=[face.pk]), data).status_code == 302
    words = TreatmentWording.objects.get(treatment=face, language="es")
    assert (words.name, words.description) == ("Rostro y cuello", "")
    assert Treatment.objects.get(pk=face.pk).name == "Face and neck"


def test_a_spanish_name_too_long_is_refused_kindly_and_keeps_what_was_typed(admin):
    response = admin.post(reverse("setup:treatment_new"), {**TREATMENT, "name_es": "x" * 101,
                                                           "description_es": "Texto guardado"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 100 characters" in page and "Texto guardado" in page
    assert not Treatment.objects.filter(code="neck").exists()


def test_the_profile_saves_the_clinic_texts_in_spanish_beside_the_english(admin):
    page = admin.get(reverse("setup:profile")).content.decode()
    assert "General pre-care in Spanish" in page and "Cancellation policy in Spanish" in page
    data = {**PROFILE, "pre_care_text_es": "Piel limpia", "aftercare_text_es": "Protector solar",
            "cancellation_text_es": "Avísenos un día antes."}
    assert admin.post(reverse("setup:profile"), data).status_code == 302
    words = ClinicWording.objects.get(language="es")
    assert (words.pre_care_text, words.aftercare_text, words.cancellation_text) == (
        "Piel limpia", "Protector solar", "Avísenos un día antes.")
    again = admin.get(reverse("setup:profile")).content.decode()
    assert "Avísenos un día antes." in again


def test_a_bad_profile_keeps_the_spanish_typed(admin):
    response = admin.post(reverse("setup:profile"), {**PROFILE, "time_zone": "Mars/Olympus",
                                                     "pre_care_text_es": "Texto guardado"})
    assert response.status_code == 400 and "Texto guardado" in response.content.decode()
    assert ClinicWording.objects.filter(language="es").exclude(pre_care_text="Texto guardado").count() == \
        ClinicWording.objects.filter(language="es").count()
