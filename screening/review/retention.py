"""Data retention: forms that never led to an appointment are erased after the clinic's period.

``ClinicSettings.retention_days`` (default 90) after its last change, a draft
that was never sent is deleted (nothing about it must be kept but its audit
lines); the same period after sending, an intake that never had a booking is
erased as ``patient_erase`` erases (its decisions and outcome stay, without
anything personal). Intakes with a booking, even a cancelled one, are kept:
they are part of the clinic's record of care.

The sweep is a task that plans its own next run (``SWEEP_EVERY``), so no
cron line is needed; ``manage.py purge_expired`` runs it at once and makes
sure the next run is planned (run it once after each deploy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.core.clinic import clinic_profile
from screening.intake.models import Intake
from screening.outbox.models import Message
from screening.review.erasure import patient_erase

SWEEP_EVERY = timedelta(days=1)
BATCH = 500  # intakes per transaction, so a first sweep of a large backlog holds no long locks


@dataclass
class Purge:
    drafts_deleted: int = 0
    intakes_erased: int = 0


def expired_drafts(*, now: datetime, days: int):
    """Drafts untouched for ``days`` (none ever has a booking, a decision or a question: those need sending)."""
    return Intake.objects.filter(status=Intake.Status.DRAFT, updated_at__lt=now - timedelta(days=days))


def expired_unbooked(*, now: datetime, days: int):
    """Sent intakes never booked, sent more than ``days`` ago, not erased yet."""
    return (Intake.objects.filter(status=Intake.Status.SUBMITTED, submitted_at__lt=now - timedelta(days=days),
                                  bookings__isnull=True)
            .exclude(email="", first_name="", last_name="", answers={}))


def intakes_purge(*, now: datetime | None = None) -> Purge:
    """Delete expired drafts and erase expired unbooked intakes, a batch per transaction."""
    now = now or timezone.now()
    days = clinic_profile().retention_days
    result = Purge()
    while ids := list(expired_drafts(now=now, days=days).values_list("id", flat=True)[:BATCH]):
        result.drafts_deleted += _drafts_delete(ids, now=now, days=days)
    while ids := list(expired_unbooked(now=now, days=days).values_list("id", flat=True)[:BATCH]):
        result.intakes_erased += patient_erase(email="", by=Actor(), action=AuditAction.INTAKE_PURGED,
                                               intake_ids=ids).intakes
    return result


def _drafts_delete(ids: list[int], *, now: datetime, days: int) -> int:
    with transaction.atomic():
        # Re-read under the lock: a patient who saved a step meanwhile keeps their draft.
        locked = list(expired_drafts(now=now, days=days).select_for_update().filter(pk__in=ids)
                      .values_list("id", flat=True))
        Message.objects.filter(intake_id__in=locked).delete()
        for pk in locked:
            audit_log(action=AuditAction.INTAKE_PURGED, intake_id=pk, detail="draft deleted after the retention period")
        Intake.objects.filter(pk__in=locked).delete()
        return len(locked)


def sweep_plan(*, now: datetime | None = None) -> bool:
    """Plan the next sweep unless one is already waiting; True when one was planned."""
    if DBTaskResult.objects.filter(status="READY", task_path=retention_sweep.module_path).exists():
        return False
    retention_sweep.using(run_after=(now or timezone.now()) + SWEEP_EVERY).enqueue()
    return True


@task()
def retention_sweep() -> str:
    """The daily sweep: purge, then plan the next one."""
    result = intakes_purge()
    sweep_plan()
    return f"{result.drafts_deleted} draft(s) deleted, {result.intakes_erased} intake(s) erased"
