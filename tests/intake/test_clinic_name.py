"""The clinic's name on the patient's pages is the profile's (issue 17: ``ClinicSettings.name``, edited at
/staff/setup/profile/), not the deployment's ``CLINIC_NAME``, which stays only as the fallback."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from screening.core.models import ClinicSettings
from tests.intake.helpers import draft_at, start

pytestmark = pytest.mark.django_db

BRAND = re.compile(r'class="navbar-brand[^"]*"[^>]*>([^<]*)</a>')


def _brand(response) -> str:
    return BRAND.search(response.content.decode()).group(1)


@pytest.fixture
def harbour(settings):
    settings.CLINIC_NAME = "Deployment Name"
    ClinicSettings.objects.update_or_create(pk=1, defaults={"name": "Harbour Skin & Co"})


def test_the_start_page_header_and_title_name_the_clinic_from_its_profile(client, harbour):
    response = client.get(reverse("intake:start"))
    assert _brand(response) == "Harbour Skin &amp; Co"
    assert "<title>" in response.content.decode() and "· Harbour Skin &amp; Co</title>" in response.content.decode()
    assert "Deployment Name" not in response.content.decode()


def test_a_step_page_names_the_clinic_from_its_profile_read_along_with_the_intake(client, harbour):
    intake = draft_at(client, 2)
    response = client.get(reverse("intake:step", args=[intake.public_id, 2]))
    assert _brand(response) == "Harbour Skin &amp; Co"
    assert "Deployment Name" not in response.content.decode()


def test_a_profile_never_saved_or_with_a_blank_name_falls_back_to_the_deployment_name(client, settings):
    settings.CLINIC_NAME = "Deployment Name"
    ClinicSettings.objects.filter(pk=1).delete()
    assert _brand(client.get(reverse("intake:start"))) == "Deployment Name"
    ClinicSettings.objects.create(pk=1, name="   ")
    intake = start(client)
    assert _brand(client.get(reverse("intake:step", args=[intake.public_id, 1]))) == "Deployment Name"


def test_renaming_the_clinic_shows_on_the_next_page(client, harbour):
    intake = draft_at(client, 2)
    ClinicSettings.objects.filter(pk=1).update(name="Quayside Clinic")
    assert _brand(client.get(reverse("intake:step", args=[intake.public_id, 2]))) == "Quayside Clinic"
    assert _brand(client.get(reverse("intake:start"))) == "Quayside Clinic"
