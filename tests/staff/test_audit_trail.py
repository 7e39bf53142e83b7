"""The audit trail on the staff side (clinic admins, audit.view_auditevent): read-only, filtered, paged by id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from screening.audit import selectors
from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction, AuditEvent
from tests.staff.conftest import staff_client

pytestmark = pytest.mark.django_db


def _rows(response) -> list[AuditEvent]:
    return response.context["lines"]


def test_a_clinic_admin_reads_the_newest_lines_first_and_finds_the_sign_in_failures(personas):
    for n in range(3):
        audit_log(action=AuditAction.LOGIN_FAILED, actor=Actor(label=f"guess{n}", ip="203.0.113.9"))
    audit_log(action=AuditAction.LOGIN, actor=Actor.staff(personas.clinician))
    client = staff_client(personas.clinic_admin)
    everything = client.get(reverse("setup:audit"))
    assert everything.status_code == 200
    ids = [line.pk for line in _rows(everything)]
    assert ids == sorted(ids, reverse=True)
    failed = client.get(reverse("setup:audit"), {"action": "login_failed"})
    assert [line.actor_label for line in _rows(failed)] == ["guess2", "guess1", "guess0"]
    html = failed.content.decode()
    assert "Sign-in failed" in html and "203.0.113.9" in html
    by_who = client.get(reverse("setup:audit"), {"who": personas.clinician.username.upper()})
    assert {line.actor_label for line in _rows(by_who)} == {personas.clinician.username}


def test_older_pages_continue_from_the_last_line_shown_with_the_filters_kept(personas, monkeypatch):
    monkeypatch.setattr(selectors, "TRAIL_PAGE_SIZE", 2)
    for n in range(5):
        audit_log(action=AuditAction.LOGIN_FAILED, actor=Actor(label=f"guess{n}"))
    client = staff_client(personas.clinic_admin)
    seen, query = [], {"action": "login_failed"}
    while True:
        page = client.get(reverse("setup:audit"), query)
        seen += [line.actor_label for line in _rows(page)]
        older = page.context["older_query"]
        if not older:
            break
        assert "action=login_failed" in older
        query = dict(pair.split("=") for pair in older.split("&"))
    assert seen == [f"guess{n}" for n in (4, 3, 2, 1, 0)]


def test_a_day_is_read_in_the_clinics_zone(personas):
    with time_machine.travel(datetime(2027, 7, 1, 23, 30, tzinfo=UTC)):  # 00:30 on 2 July in London (BST)
        audit_log(action=AuditAction.LOGIN_FAILED, actor=Actor(label="late"))
    client = staff_client(personas.clinic_admin)
    assert [r.actor_label for r in _rows(client.get(reverse("setup:audit"), {"day": "2027-07-02"}))] == ["late"]
    assert _rows(client.get(reverse("setup:audit"), {"day": "2027-07-01"})) == []


@pytest.mark.parametrize("query", [{"action": "nonsense"}, {"day": "31/02/2027"}, {"before": "abc"},
                                   {"before": "-5"}, {"before": "9" * 40}, {"who": "x" * 500}])
def test_a_bad_filter_is_said_and_left_out_never_an_error(personas, query):
    client = staff_client(personas.clinic_admin)  # signing in writes lines of its own
    audit_log(action=AuditAction.LOGIN_FAILED, actor=Actor(label="someone"))
    response = client.get(reverse("setup:audit"), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert [line.actor_label for line in _rows(response)][:1] == ["someone"]


def test_front_desk_and_clinicians_cannot_read_it_and_the_nav_shows_it_to_clinic_admins(personas):
    for user in (personas.front_desk, personas.clinician):
        assert staff_client(user).get(reverse("setup:audit")).status_code == 403
    home = staff_client(personas.clinic_admin).get(reverse("setup:home")).content.decode()
    assert reverse("setup:audit") in home


def test_one_bad_filter_is_left_out_and_the_good_ones_still_apply(personas):
    client = staff_client(personas.clinic_admin)
    audit_log(action=AuditAction.LOGIN_FAILED, actor=Actor(label="guess"))
    response = client.get(reverse("setup:audit"), {"action": "login_failed", "day": "not a day"})
    assert response.context["form"].errors["day"]
    assert {line.action for line in _rows(response)} == {"login_failed"}
