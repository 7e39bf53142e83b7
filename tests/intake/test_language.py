"""The patient's language (issue 16): chosen on a page, kept on the intake, used by every page and email after."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from screening.booking.errors import BookingError, long_date
from screening.intake.models import Intake
from tests.conftest import run_pending_on_commit
from tests.intake.helpers import last_link, post_step, start

pytestmark = pytest.mark.django_db


def _choose(client, language: str, back: str = "/intake/"):
    return client.post(reverse("intake:language"), {"language": language, "next": back})


def test_the_start_page_offers_the_switch_and_speaks_english_by_default(client):
    page = client.get(reverse("intake:start")).content.decode()
    assert '<html lang="en">' in page
    assert "Before you book" in page
    assert 'value="es" lang="es"' in page  # the switch, named in its own language


def test_choosing_spanish_turns_the_patient_pages_spanish_and_goes_back(client):
    response = _choose(client, "es", "/intake/new-link/")
    assert response.status_code == 302 and response["Location"] == "/intake/new-link/"
    page = client.get(reverse("intake:link_request"))
    text = page.content.decode()
    assert '<html lang="es">' in text
    assert "Recibir un enlace nuevo" in text
    assert page["Content-Language"] == "es"


def test_the_switch_never_sends_the_patient_to_another_site(client):
    response = _choose(client, "es", "https://evil.example/")
    assert response["Location"] == "/intake/"


def test_an_unknown_language_is_english(client):
    _choose(client, "xx")
    assert "Before you book" in client.get(reverse("intake:start")).content.decode()


def test_an_intake_started_in_spanish_keeps_spanish_and_its_emails_are_spanish(client):
    _choose(client, "es")
    intake = start(client)
    assert intake.language == "es"
    step = client.get(reverse("intake:step", args=[intake.public_id, 1])).content.decode()
    assert "Paso 1 de" in step
    assert post_step(client, intake, 1).status_code == 302
    run_pending_on_commit()
    resume = mail.outbox[-1]
    assert resume.subject == "Su enlace para continuar con su formulario"
    assert "Hola, Alex:" in resume.body


def test_choosing_a_language_mid_form_is_remembered_on_the_intake(client):
    intake = start(client)
    assert intake.language == "en"
    _choose(client, "es", reverse("intake:step", args=[intake.public_id, 1]))
    intake.refresh_from_db()
    assert intake.language == "es"


def test_the_emailed_link_brings_the_language_back_on_another_device(client):
    _choose(client, "es")
    intake = start(client)
    assert post_step(client, intake, 1).status_code == 302
    run_pending_on_commit()
    phone = Client()  # a new device: no session, an English browser
    phone.get(last_link())
    continue_page = phone.get(reverse("intake:link_continue")).content.decode()
    assert "Bienvenido/a de nuevo" not in continue_page  # not granted yet: the session has no language
    phone.post(reverse("intake:link_continue"))
    step = phone.get(reverse("intake:step", args=[intake.public_id, 2])).content.decode()
    assert '<html lang="es">' in step


def test_staff_pages_stay_english_whatever_the_session_chose(client):
    _choose(client, "es")
    page = client.get(reverse("staff:login"))
    assert page["Content-Language"] == "en"
    assert "Recibir" not in page.content.decode()


def test_the_browser_language_is_the_first_guess(client):
    page = client.get(reverse("intake:start"), HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9")
    assert "Antes de reservar" in page.content.decode()


def test_nothing_spanish_leaks_past_the_request(client):
    _choose(client, "es")
    client.get(reverse("intake:start"))
    assert translation.get_language() in ("en-gb", "en", None)


def test_dates_and_booking_messages_follow_the_active_language():
    day = date(2027, 1, 16)
    assert long_date(day) == "Saturday 16 January 2027"
    with translation.override("es"):
        assert long_date(day) == "sábado 16 de enero de 2027"
        error = BookingError("too_early", earliest=day)
        assert error.message.startswith("Su tratamiento puede hacerse a partir del sábado 16 de enero de 2027")


def test_an_intake_made_before_languages_is_english():
    assert Intake._meta.get_field("language").default == "en"
