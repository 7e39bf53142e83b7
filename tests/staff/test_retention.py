"""Forms that never led to an appointment are purged after the clinic's retention period (default 90 days)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.audit.models import AuditAction, AuditEvent
from screening.core.models import ClinicSettings, Treatment
from screening.intake.models import Intake
from screening.outbox.models import Message
from screening.review.retention import retention_sweep, sweep_plan
from tests.conftest import run_ready_tasks
from tests.staff.conftest import make_intake


def _draft(email: str = "draft@example.com") -> Intake:
    return Intake.objects.create(treatment=Treatment.objects.get(code="face"), email=email, first_name="Dora",
                                 answers={"first_name": "Dora", "email": email})


def _sweep_tasks():
    return DBTaskResult.objects.filter(status="READY", task_path=retention_sweep.module_path)


def test_the_default_period_is_90_days(db):
    assert ClinicSettings().retention_days == 90


def test_a_draft_untouched_for_the_period_is_deleted_and_a_newer_one_kept(personas):
    old, recent = _draft("old@example.com"), None
    with time_machine.travel(timezone.now() + timedelta(days=60), tick=False):
        recent = _draft("recent@example.com")
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        call_command("purge_expired", stdout=StringIO())
    assert not Intake.objects.filter(pk=old.pk).exists()
    assert Intake.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.INTAKE_PURGED, intake_id=old.pk).exists()


def test_a_sent_intake_never_booked_is_erased_and_a_booked_one_kept(personas):
    unbooked = make_intake(email="unbooked@example.com", first_name="Una")
    booked = personas.intake_a  # holds a time
    with time_machine.travel(timezone.now() + timedelta(days=89), tick=False):
        call_command("purge_expired", stdout=StringIO())
    unbooked.refresh_from_db()
    assert unbooked.first_name == "Una"  # not yet
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        call_command("purge_expired", stdout=StringIO())
    unbooked.refresh_from_db()
    booked.refresh_from_db()
    assert (unbooked.first_name, unbooked.email, unbooked.answers) == ("", "", {})
    assert unbooked.outcome and unbooked.submitted_at  # the skeleton stays
    assert not Message.objects.filter(intake_id=unbooked.pk).exists()
    assert booked.first_name == "Ada" and booked.answers
    assert AuditEvent.objects.filter(action=AuditAction.INTAKE_PURGED, intake_id=unbooked.pk).count() == 1


def test_the_clinic_sets_the_period(personas):
    ClinicSettings.objects.update_or_create(pk=1, defaults={"retention_days": 10})
    unbooked = make_intake(email="short@example.com", first_name="Shorty")
    with time_machine.travel(timezone.now() + timedelta(days=11), tick=False):
        call_command("purge_expired", stdout=StringIO())
    unbooked.refresh_from_db()
    assert unbooked.email == ""


def test_the_sweep_is_a_task_that_plans_its_next_run_once(personas):
    unbooked = make_intake(email="task@example.com", first_name="Tasha")
    assert sweep_plan() is True
    assert sweep_plan() is False  # one waiting is enough
    assert _sweep_tasks().count() == 1
    later = timezone.now() + timedelta(days=91)
    with time_machine.travel(later, tick=False):
        assert run_ready_tasks(later) >= 1
    unbooked.refresh_from_db()
    assert unbooked.email == ""
    [planned] = _sweep_tasks()
    assert planned.run_after > later  # the next day's run


def test_the_command_plans_the_task_when_none_is_waiting(db):
    call_command("purge_expired", stdout=StringIO())
    call_command("purge_expired", stdout=StringIO())
    assert _sweep_tasks().count() == 1
