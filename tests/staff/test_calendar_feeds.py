"""Practitioners' calendar feeds (issue 19): a secret, revocable link; only its hash stored; no health detail."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import CalendarFeed
from tests.staff.conftest import staff_client

pytestmark = pytest.mark.django_db


def _new_link(personas) -> str:
    response = staff_client(personas.clinic_admin).post(
        reverse("staff:calendar_new", args=[personas.practitioner.pk]))
    assert response.status_code == 200
    return re.search(r'id="id_new_link" type="text" readonly value="([^"]+)"', response.content.decode()).group(1)


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_a_practitioners_feed_lists_their_appointments_without_patient_or_health_detail(personas):
    link = _new_link(personas)
    token = _path(link).rsplit("/", 1)[1].removesuffix(".ics")
    assert not CalendarFeed.objects.filter(token_hash=token).exists()  # the hash is kept, not the secret
    response = Client().get(_path(link))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["summary"]) == f"{personas.booking_a.treatment.name} (held, awaiting review)"
    assert str(event["status"]) == "TENTATIVE"
    for private in ("Ada", "Lovelace", "ada@example.com", "Tranexamic", "bleeding", "Bleeding"):
        assert private not in body
    assert AuditEvent.objects.filter(action=AuditAction.CALENDAR_LINK_ISSUED,
                                     actor_label=personas.clinic_admin.username).exists()


def test_a_new_link_stops_the_old_one_and_a_stopped_link_shows_nothing(personas):
    first = _new_link(personas)
    second = _new_link(personas)
    assert Client().get(_path(first)).status_code == 404
    assert Client().get(_path(second)).status_code == 200
    assert staff_client(personas.clinic_admin).post(
        reverse("staff:calendar_revoke", args=[personas.practitioner.pk])).status_code == 302
    assert Client().get(_path(second)).status_code == 404
    assert Client().get("/intake/calendar/" + "x" * 200 + ".ics").status_code == 404


def test_only_clinic_admins_make_calendar_links(personas):
    for user in (personas.front_desk, personas.clinician):
        assert staff_client(user).post(reverse("staff:calendar_new", args=[personas.practitioner.pk])).status_code == 403
    assert not CalendarFeed.objects.exists()
