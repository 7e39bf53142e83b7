"""After a session done: the aftercare, then "how is your skin?"; a reaction is a clinician's task and feeds the next screening."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.courses.models import SkinReport
from screening.intake.models import Intake
from screening.outbox.models import Message, MessageKind
from tests.conftest import run_ready_tasks
from tests.intake.helpers import link_from_mail
from tests.patients.test_recheck import SESSION, _check_answers
from tests.patients.test_returning import _first_session_done
from tests.staff.conftest import patient_client, staff_client

pytestmark = pytest.mark.django_db


def _answer(intake: Intake, data: dict) -> Client:
    with time_machine.travel(SESSION + timedelta(days=3, minutes=1), tick=False):
        run_ready_tasks()
        [sent] = [m for m in mail.outbox if m.subject == "How is your skin?"]
        client = Client()
        client.get(link_from_mail(sent))
        response = client.post(reverse("intake:link_continue"))
        assert response["Location"] == reverse("courses:skin", args=[intake.public_id])
        assert client.get(response["Location"]).status_code == 200
        client.post(response["Location"], data)
    return client


def test_aftercare_then_a_reported_reaction_is_a_clinicians_task_and_feeds_the_next_screening(personas, calendar):
    intake = _first_session_done(personas, calendar)
    aftercare = Message.objects.get(kind=MessageKind.AFTERCARE, intake_id=intake.pk)
    assert "sunscreen" in aftercare.body
    assert not Message.objects.filter(kind=MessageKind.FOLLOW_UP).exists()  # not before the third day

    _answer(intake, {"reactions": ["redness", "dark_patches"], "other": ""})

    report = SkinReport.objects.get(booking__intake=intake)
    assert report.reactions == ["redness", "dark_patches"] and report.patient_id == intake.patient_id
    assert Intake.objects.get(pk=intake.pk).answers["previous_reaction"] is True
    assert AuditEvent.objects.filter(action=AuditAction.SKIN_REPORTED, intake_id=intake.pk).exists()
    clinician = staff_client(personas.clinician)
    day_list = clinician.get(reverse("staff:bookings")).content.decode()
    assert "Reactions reported after a session" in day_list and "Dark patches" in day_list
    page = clinician.get(reverse("staff:patient", args=[intake.patient_id])).content.decode()
    assert "For a clinician" in page and "Redness lasting more than 72 hours" in page
    assert staff_client(personas.front_desk).post(reverse("staff:skin_report_seen", args=[report.pk])).status_code \
        == 403
    clinician.post(reverse("staff:skin_report_seen", args=[report.pk]))
    assert SkinReport.objects.get(pk=report.pk).seen_by_id == personas.clinician.pk
    assert "Reactions reported" not in clinician.get(reverse("staff:bookings")).content.decode()

    # The next session's short update: the reported reaction asks for a clinician again.
    with time_machine.travel(SESSION + timedelta(days=4), tick=False):
        patient_client(intake).post(reverse("courses:next_session", args=[intake.public_id]), _check_answers())
    new = Intake.objects.exclude(pk=intake.pk).get(patient_id=intake.patient_id)
    assert "PREVIOUS_REACTION" in {f.rule_code for f in new.screenings.get().flags.all()}
    assert new.outcome == "review"


def test_all_well_is_recorded_and_asks_nothing_of_a_clinician_and_a_second_answer_is_refused(personas, calendar):
    intake = _first_session_done(personas, calendar)
    client = _answer(intake, {"other": "All fine, thank you"})
    report = SkinReport.objects.get(booking__intake=intake)
    assert report.reactions == [] and report.other == "All fine, thank you"
    assert "previous_reaction" not in Intake.objects.get(pk=intake.pk).answers or \
        Intake.objects.get(pk=intake.pk).answers["previous_reaction"] is False
    assert "Reactions reported" not in staff_client(personas.clinician).get(reverse("staff:bookings")).content.decode()
    with time_machine.travel(SESSION + timedelta(days=3, minutes=5), tick=False):
        again = client.post(reverse("courses:skin", args=[intake.public_id]), {"reactions": ["infection"]},
                            follow=True)
    assert "nothing to tell us just now" in again.content.decode()
    assert SkinReport.objects.count() == 1


def test_other_needs_a_few_words(personas, calendar):
    intake = _first_session_done(personas, calendar)
    with time_machine.travel(SESSION + timedelta(days=3, minutes=1), tick=False):
        run_ready_tasks()
        response = patient_client(intake).post(reverse("courses:skin", args=[intake.public_id]),
                                               {"reactions": ["other"], "other": " "})
    assert response.status_code == 200 and "Please tell us in a few words" in response.content.decode()
    assert not SkinReport.objects.exists()
