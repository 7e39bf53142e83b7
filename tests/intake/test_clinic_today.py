""""Today" is the clinic's date (issue 18): a submit and the form read it in the clinic's time zone, not UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from screening.core.models import ClinicSettings
from tests.intake.helpers import complete

pytestmark = pytest.mark.django_db

# 12:00 UTC on 14 January 2027 is 02:00 on 15 January at Kiritimati (UTC+14).
NOW = datetime(2027, 1, 14, 12, 0, tzinfo=UTC)


@pytest.fixture
def far_east(monkeypatch):
    ClinicSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Pacific/Kiritimati"})
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def test_a_patient_whose_18th_birthday_is_the_clinics_today_is_eligible(client, far_east):
    intake = complete(client, answers={1: {"date_of_birth": "2009-01-15"}})

    assert (intake.status, intake.outcome) == ("submitted", "eligible")
    assert intake.screenings.get().on_date.isoformat() == "2027-01-15"


def test_a_last_time_date_that_is_the_clinics_today_is_not_in_the_future(client, far_east):
    intake = complete(client, answers={6: {"retinoid_last_used__never": None, "retinoid_last_used": "2027-01-15"}})

    assert (intake.outcome, intake.eligible_from.isoformat()) == ("deferred", "2027-01-20")
