"""The queue at a glance (issue 19): flags in words, the age, one state badge, held times with the time left,
"my patients", and deferred intakes with their flag."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.audit.log import Actor
from screening.intake.models import Screening
from screening.review.services import intake_ask
from tests.staff.conftest import latest_screening, make_intake, staff_client

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>\s*<td[^>]*><a href=\"/staff/intakes/.*?</tr>", html, flags=re.S)


def _years_since(born: date) -> int:
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def test_a_row_names_its_flags_in_words_with_their_weight_and_shows_the_age(personas):
    response = staff_client(personas.front_desk).get(reverse("staff:queue"))
    html = response.content.decode()
    [ada] = [row for row in _rows(html) if "Ada" in row]
    names = dict(latest_screening(personas.intake_a).flags.values_list("rule_code", "rule_name"))
    assert f">{names['BLEEDING_DISORDER']}</span>" in ada
    assert ">BLEEDING_DISORDER<" not in ada  # the code only as a tooltip
    assert "text-bg-warning fw-normal" in ada  # a flag a clinician decides
    born = date.fromisoformat(personas.intake_a.answers["date_of_birth"])
    assert f'<span class="queue-age" title="age">{_years_since(born)}</span>' in ada
    assert personas.intake_a.answers["date_of_birth"] not in html
    # One state badge per row: "Needs review" once, not once for the outcome and once for the state.
    assert ada.count("Needs review") == 1


def test_a_held_row_shows_how_long_the_hold_has_left(personas):
    html = staff_client(personas.front_desk).get(reverse("staff:queue")).content.decode()
    [ada] = [row for row in _rows(html) if "Ada" in row]
    assert "hold ends in" in ada
    [bo] = [row for row in _rows(html) if "Bo" in row]
    assert "hold ends in" not in bo


def test_my_patients_are_the_intakes_i_decided_or_asked_about(personas):
    intake_ask(intake_id=personas.intake_b.pk, screening_id=latest_screening(personas.intake_b).pk,
               by=Actor.staff(personas.clinician), question="Which medicine do you take, and how often?")
    client = staff_client(personas.clinician)
    mine = client.get(reverse("staff:queue"), {"mine": "on"})
    assert [i.pk for i in mine.context["result"].page.object_list] == [personas.intake_b.pk]
    everyone = client.get(reverse("staff:queue"))
    assert len(everyone.context["result"].page.object_list) >= 2
    # Another clinician's patients are not mine.
    other = staff_client(personas.clinician2).get(reverse("staff:queue"), {"mine": "on"})
    assert other.context["result"].page.object_list == []


def test_a_deferred_intake_shows_the_flag_that_defers_it(personas):
    later = (timezone.localdate() - timedelta(days=170)).isoformat()
    deferred = make_intake(email="dee@example.com", first_name="Dee", answers={"isotretinoin_last_taken": later})
    assert deferred.outcome == "deferred"
    # Booked for a date after the deferral: the booking's date re-check raised no flag, and is not the
    # screening of the patient's answers the queue shows.
    Screening.objects.create(intake=deferred, reason=Screening.Reason.BOOKING, outcome="eligible",
                             on_date=timezone.localdate() + timedelta(days=30), answers=deferred.answers)
    html = staff_client(personas.front_desk).get(reverse("staff:queue")).content.decode()
    [dee] = [row for row in _rows(html) if "Dee" in row]
    assert "text-bg-primary fw-normal" in dee  # the deferring flag, in words
