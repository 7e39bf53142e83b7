"""Re-screening chosen pending intakes against the current rules: a new result beside the old."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from screening.audit.models import AuditEvent
from screening.intake.models import Screening
from screening.questionnaire.models import Rule
from screening.review.models import IntakeDecision
from screening.review.rescreen import intakes_rescreen
from tests.rules_admin.conftest import latest_screening, submit_intake

pytestmark = pytest.mark.django_db


def _make_keloid_a_review_rule() -> None:
    Rule.objects.filter(code="KELOID").update(severity="review", revision=2)


def test_it_records_a_new_screening_with_the_current_rules_and_keeps_the_old_one(admin_user):
    intake = submit_intake({"keloid_history": True})
    first = latest_screening(intake)
    _make_keloid_a_review_rule()

    report = intakes_rescreen(intake_ids=[intake.pk], by=admin_user)

    intake.refresh_from_db()
    assert [(i, before, after) for i, before, after in report.rescreened] == [(intake, "not_suitable", "review")]
    assert intake.outcome == "review"
    second = latest_screening(intake)
    assert second.reason == Screening.Reason.RESCREEN and second != first
    assert list(second.flags.values_list("rule_code", "severity", "rule_revision")) == [("KELOID", "review", 2)]
    first.refresh_from_db()
    assert first.outcome == "not_suitable"
    assert list(first.flags.values_list("rule_code", "severity", "rule_revision")) == [("KELOID", "block", 1)]
    assert AuditEvent.objects.filter(action="intake_rescreened", intake_id=intake.pk, actor=admin_user).count() == 1


def test_an_intake_a_clinician_has_decided_is_left_alone(admin_user):
    intake = submit_intake({"metal_allergy": True})
    IntakeDecision.objects.create(intake=intake, screening=latest_screening(intake), kind="clear",
                                  note="Nickel-free needles.", decided_by=admin_user)

    report = intakes_rescreen(intake_ids=[intake.pk], by=admin_user)

    assert report.rescreened == []
    assert report.skipped == [(intake, "a clinician has already decided it")]
    assert intake.screenings.count() == 1


def test_the_admin_action_re_screens_the_chosen_intakes(admin_client):
    chosen = submit_intake({"keloid_history": True}, name="Kim")
    other = submit_intake({"keloid_history": True}, name="Ola")
    _make_keloid_a_review_rule()

    response = admin_client.post(reverse("admin:intake_intake_changelist"), {
        "action": "rescreen_intakes", "_selected_action": [chosen.pk],
    }, follow=True)

    assert "Re-screened 1 intake(s): 1 changed outcome" in " ".join(str(m) for m in response.context["messages"])
    assert chosen.screenings.count() == 2 and other.screenings.count() == 1


def test_clinicians_and_clinic_admins_may_re_screen_and_others_may_not():
    assert Group.objects.get(name="Clinician").permissions.filter(codename="rescreen_intake").exists()
    assert Group.objects.get(name="Clinic admin").permissions.filter(codename="rescreen_intake").exists()
    assert not Group.objects.get(name="Front desk").permissions.filter(codename="rescreen_intake").exists()
    reader = User.objects.create_user("otto", password="pw", is_staff=True)
    reader.user_permissions.add(*Permission.objects.filter(codename__in=["view_intake", "access_admin"]))
    intake = submit_intake({"keloid_history": True})
    client = Client()
    client.force_login(reader)

    client.post(reverse("admin:intake_intake_changelist"),
                {"action": "rescreen_intakes", "_selected_action": [intake.pk]})

    assert intake.screenings.count() == 1
