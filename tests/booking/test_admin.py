"""The clinic admin manages the calendar; bookings are read-only there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User

import screening.setup.calendar_admin  # noqa: F401 - registers the calendar with the admin site
from screening.booking.services import booking_create
from screening.core.models import ClinicSettings
from tests.booking.conftest import at, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = User.objects.create_superuser("boss", "boss@example.com", "pw-for-tests-only")
    client.force_login(user)
    return client


def test_the_admin_lists_and_edits_practitioners_with_their_hours(admin_client, calendar):
    assert admin_client.get("/admin/booking/practitioner/").status_code == 200
    page = admin_client.get(f"/admin/booking/practitioner/{calendar['anna'].pk}/change/").content.decode()
    assert "Weekly hours" in page and "Schedule exceptions" in page


def test_bookings_are_read_only_in_the_admin(admin_client, make_intake, calendar):
    booking = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk,
                             start=at(today() + timedelta(days=1), 10))
    assert admin_client.get("/admin/booking/booking/").status_code == 200
    change = admin_client.get(f"/admin/booking/booking/{booking.pk}/change/")
    assert change.status_code == 200
    assert 'name="status"' not in change.content.decode()
    assert admin_client.get("/admin/booking/booking/add/").status_code == 403


def test_the_clinic_time_zone_is_one_row_edited_in_the_admin(admin_client, calendar):
    assert admin_client.get("/admin/core/clinicsettings/add/").status_code == 403
    response = admin_client.post("/admin/core/clinicsettings/1/change/", {"time_zone": "Mars/Olympus"})
    assert response.status_code == 200 and "not a known time zone" in response.content.decode()
    holds = {"hold_min_notice_hours": 24, "hold_ends_before_hours": 12, "hold_alert_hours": 3}
    response = admin_client.post("/admin/core/clinicsettings/1/change/",
                                 {"name": "Example Skin Clinic", "time_zone": "Europe/Paris", "reminder_hours": "48, 3", "retention_days": "90",
                                  "recheck_hours": "48", "recheck_cutoff_hours": "12", "full_intake_months": "6",
                                  "follow_up_days": "3", **holds})
    assert response.status_code == 302
    assert ClinicSettings.objects.get().time_zone == "Europe/Paris"


def test_a_hold_cannot_be_set_to_end_before_its_minimum_notice(admin_client, calendar):
    response = admin_client.post("/admin/core/clinicsettings/1/change/", {
        "time_zone": "Europe/London", "reminder_hours": "48, 3",
        "hold_min_notice_hours": 12, "hold_ends_before_hours": 12, "hold_alert_hours": 3})
    assert response.status_code == 200
    assert "The minimum notice must be longer" in response.content.decode()
