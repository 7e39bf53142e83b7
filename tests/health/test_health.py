"""/health/: green with a database, a beating worker and a moving outbox; red, and saying nothing else, otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.outbox.heartbeat import heartbeat_plan
from screening.outbox.models import Message, MessageKind, WorkerHeartbeat
from tests.conftest import run_ready_tasks

pytestmark = pytest.mark.django_db
HEARTBEAT = "screening.outbox.heartbeat.worker_heartbeat"


def health(path="/health/"):
    return Client().get(path)


def planned() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=HEARTBEAT, status="READY"))


def test_without_a_worker_the_stack_is_failing_but_the_web_server_is_fine():
    response = health()
    assert response.status_code == 503
    assert response.json() == {"status": "failing",
                               "checks": {"database": "ok", "worker": "failing", "outbox": "ok"}}
    assert "no-store" in response["Cache-Control"] and not response.cookies
    assert health("/health/web/").json() == {"status": "ok", "checks": {"database": "ok"}}


def test_a_beating_worker_turns_it_green_and_a_silent_one_red(settings):
    assert heartbeat_plan() is True
    assert run_ready_tasks() == 1  # the worker runs the heartbeat, which plans its next run
    assert health().status_code == 200 and health().json()["status"] == "ok"
    (following,) = planned()
    assert following.run_after > timezone.now()
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS + 1)):
        assert health().status_code == 503  # nothing ran the next beat
        # (this suite runs the due tasks after each request, as a worker would: the beat is back)
        assert health().status_code == 200


def test_there_is_only_ever_one_chain_of_heartbeats():
    assert heartbeat_plan() is True
    assert heartbeat_plan() is False  # a second worker start, or a redeploy
    run_ready_tasks()
    assert len(planned()) == 1 and heartbeat_plan() is False
    # A leftover run from before a restart beats but plans nothing.
    from screening.outbox.heartbeat import worker_heartbeat

    worker_heartbeat.enqueue(planned_for="2000-01-01T00:00:00+00:00")
    run_ready_tasks()
    assert len(planned()) == 1


def test_a_chain_that_died_is_started_again(settings):
    heartbeat_plan()
    run_ready_tasks()
    DBTaskResult.objects.filter(task_path=HEARTBEAT).delete()  # the worker was killed in the middle of a beat
    with time_machine.travel(timezone.now() + timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)):
        assert heartbeat_plan() is True
        assert run_ready_tasks() == 1 and len(planned()) == 1


def test_a_message_waiting_too_long_for_the_worker_turns_it_red(settings):
    heartbeat_plan()
    run_ready_tasks()
    old = timezone.now() - timedelta(seconds=settings.HEALTH_OUTBOX_MAX_AGE_SECONDS + 1)
    message = Message.objects.create(kind=MessageKind.RECEIPT, recipient="ada@example.com", body="x", created_at=old)
    assert health().json()["checks"] == {"database": "ok", "worker": "ok", "outbox": "failing"}
    # One the mail server refused is staff's to see, not the worker stopping.
    Message.objects.filter(pk=message.pk).update(status="retrying")
    assert health().status_code == 200


def test_a_database_that_does_not_answer_is_failing_without_saying_why():
    def unreachable(execute, sql, params, many, context):
        if sql == "SELECT 1":  # the check's query; the database's own error names its host
            raise DatabaseError('connection to server at "10.0.0.5", port 5432 failed')
        return execute(sql, params, many, context)

    with connection.execute_wrapper(unreachable):
        response = health()
        web = health("/health/web/")
    assert response.status_code == web.status_code == 503
    assert response.json()["checks"] == {"database": "failing", "worker": "failing", "outbox": "failing"}
    assert b"10.0.0.5" not in response.content + web.content


def test_health_is_read_only():
    assert Client().post("/health/").status_code == 405
    assert Client().head("/health/web/").status_code == 200
    assert not WorkerHeartbeat.objects.exists()  # reading it wrote nothing
