"""Must show (issue 16): a whole intake and booking in Spanish on a 390 px phone, axe on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from screening.booking.models import Booking
from screening.intake.models import Intake
from screening.setup.demo import seed_calendar
from tests.browser.patient import _health_step
from tests.conftest import run_ready_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _siguiente(visit, label: str) -> None:
    visit.shot(label)
    visit.assert_accessible()
    visit.page.get_by_role("button", name=re.compile("^(Siguiente|Enviar mis respuestas)$")).click()


def test_a_patient_fills_in_the_form_and_books_in_spanish_on_a_phone(phone, live_server):
    seed_calendar()
    page = phone.page
    phone.goto("/intake/")
    phone.assert_accessible()
    page.get_by_role("button", name="Español").click()
    expect(page.get_by_role("heading", name="Antes de reservar")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("button", name="Español")).to_have_attribute("aria-pressed", "true")
    phone.shot("inicio")
    phone.assert_accessible()
    page.get_by_label("Cara y cuello", exact=False).check()  # the treatment in the clinic's Spanish
    page.get_by_role("button", name="Empezar").click()

    expect(page.get_by_role("heading", name="Sobre usted")).to_be_visible()
    page.get_by_label("Nombre").fill("Alex")
    page.get_by_label("Apellidos").fill("Example")
    page.get_by_label("Fecha de nacimiento").fill("1990-04-03")
    page.get_by_label("Correo electrónico").fill("alex@example.com")
    _siguiente(phone, "sobre usted")
    expect(page.get_by_role("heading", name="Sus objetivos")).to_be_visible()
    page.get_by_label("Líneas finas y arrugas").check()
    _siguiente(phone, "objetivos")
    for part in range(1, 6):
        expect(page.get_by_text(re.compile(r"Paso \d+ de \d+"))).to_be_visible()
        _health_step(page, {}, {})
        _siguiente(phone, f"salud {part}")
    expect(page.get_by_role("heading", name="Consentimiento")).to_be_visible()
    expect(page.get_by_text("Qué puede esperar")).to_be_visible()
    page.get_by_label("He leído", exact=False).check()
    page.get_by_label("nombre completo", exact=False).fill("Alex Example")
    _siguiente(phone, "consentimiento")

    expect(page.get_by_role("heading", name="Buenas noticias: puede reservar")).to_be_visible()
    phone.shot("resultado")
    phone.assert_accessible()
    assert Intake.objects.get().language == "es"
    page.get_by_role("link", name="Elegir una hora").click()
    expect(page.get_by_role("heading", name="Elegir una hora")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Las horas son en hora de"))).to_be_visible()
    legend = page.locator(".picker-day legend").inner_text()
    assert re.fullmatch(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo) \d+ de \w+", legend), legend
    page.locator(".slot-grid label").first.click()
    phone.shot("horas")
    phone.assert_accessible()
    page.get_by_role("button", name="Reservar esta hora").click()

    expect(page.get_by_role("heading", name="Su cita")).to_be_visible()
    expect(page.get_by_text("archivo de calendario", exact=False)).to_be_visible()
    expect(page.locator("#booking-treatment")).to_have_text("Cara y cuello")
    pre_care = page.locator("section[aria-labelledby=pre-care-heading]")
    expect(pre_care.get_by_role("heading", name="Cómo preparar su piel")).to_be_visible()
    expect(pre_care.get_by_text(re.compile(r"^Nada de peelings, láser ni IPL (después del \w+ \d+ de \w+|antes de su cita)$"))).to_be_visible()
    expect(pre_care.get_by_text("Evite tomar el sol", exact=False)).to_be_visible()
    assert "Face and neck" not in page.content()
    phone.shot("cita")
    phone.assert_accessible()
    assert Booking.objects.get().status == "confirmed"

    run_ready_tasks()
    confirmation = next(m for m in mail.outbox if m.subject.startswith("Su cita está confirmada"))
    assert "Hola, Alex:" in confirmation.body
    assert "Cara y cuello" in confirmation.body and "Nada de peelings, láser ni IPL" in confirmation.body
    assert "Su cita en" in confirmation.body and "está confirmada." in confirmation.body
    assert re.search(r"Cuándo: \w+ \d+ de \w+ de \d{4}, de \d\d:\d\d a \d\d:\d\d", confirmation.body)
