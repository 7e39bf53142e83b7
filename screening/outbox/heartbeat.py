"""The worker's heartbeat, and the health of what the web servers cannot see for themselves.

A heartbeat task runs in the worker every ``WORKER_HEARTBEAT_SECONDS`` and
plans its own next run: a fresh ``beat_at`` means a worker is taking tasks
off the queue. ``manage.py plan_heartbeat`` starts the chain (run it before
the worker: deploy/clinic-worker.service, the Procfiles); starting it again
is harmless. A web server reads the heartbeat and the outbox's oldest
waiting message for ``/health/``.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from screening.outbox.models import Message, MessageStatus, WorkerHeartbeat


def _row() -> WorkerHeartbeat:
    WorkerHeartbeat.objects.get_or_create(pk=1)
    return WorkerHeartbeat.objects.select_for_update().get(pk=1)


def _plan(row: WorkerHeartbeat, at) -> None:
    row.next_at = at
    worker_heartbeat.using(run_after=at).enqueue(planned_for=at.isoformat())


@transaction.atomic
def heartbeat_plan() -> bool:
    """Start the heartbeat chain unless one is running (its next run is not long overdue); True if started."""
    now = timezone.now()
    row = _row()
    overdue = timedelta(seconds=2 * settings.WORKER_HEARTBEAT_SECONDS)
    if row.next_at is not None and row.next_at > now - overdue:
        return False
    _plan(row, now)
    row.save(update_fields=["next_at"])
    return True


@transaction.atomic
def heartbeat_beat(*, planned_for: str) -> None:
    """The heartbeat task's work: beat, and plan the next run if this run is the chain's current one."""
    now = timezone.now()
    row = _row()
    row.beat_at = now
    if row.next_at is None or row.next_at.isoformat() == planned_for:
        _plan(row, now + timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS))
    row.save(update_fields=["beat_at", "next_at"])


@task()
def worker_heartbeat(planned_for: str) -> None:
    """The heartbeat task, run by the worker: beats, and plans the next one."""
    heartbeat_beat(planned_for=planned_for)


def worker_is_fresh() -> bool:
    """Whether the worker beat within ``HEALTH_WORKER_MAX_AGE_SECONDS``."""
    cutoff = timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    return WorkerHeartbeat.objects.filter(pk=1, beat_at__gte=cutoff).exists()


def outbox_is_moving() -> bool:
    """Whether no message has waited for the worker longer than ``HEALTH_OUTBOX_MAX_AGE_SECONDS``.

    Messages the mail server refused (retrying, failed) are not counted: they
    are a mail problem, shown to staff, not a sign the worker stopped.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.HEALTH_OUTBOX_MAX_AGE_SECONDS)
    waiting = (MessageStatus.QUEUED, MessageStatus.SENDING)
    return not Message.objects.filter(status__in=waiting, created_at__lt=cutoff).exists()
