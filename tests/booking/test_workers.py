"""Real workers: two `manage.py db_worker` processes over one queue send each message exactly once.

PostgreSQL only: the workers claim tasks with SELECT ... FOR UPDATE SKIP
LOCKED, and the outbox claims each message under a row lock; SQLite
serialises everything, so there is no race to see.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django_tasks_db.models import DBTaskResult

from screening.outbox.models import Message, MessageKind, MessageStatus
from screening.outbox.services import message_queue
from tests.booking.test_outbox import Inbox, free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two workers racing for one queue (set DATABASE_URL=postgres://...)")


def database_url() -> str:
    db = connection.settings_dict
    return (f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def start_worker(smtp_port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(),
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port), "EMAIL_TIMEOUT": "5"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
         "-v", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_two_workers_over_200_messages_send_each_exactly_once():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        queued = [message_queue(kind=MessageKind.RECEIPT, recipient=f"patient{i}@example.com",
                                subject="We have received your answers", body=f"Message {i}").pk
                  for i in range(200)]
        workers = [start_worker(port), start_worker(port)]
        for worker in workers:
            _out, err = worker.communicate(timeout=240)
            assert worker.returncode == 0, err
    finally:
        controller.stop()

    sent = Counter(int(m["X-Clinic-Message"]) for m in inbox.received)
    assert sorted(sent) == sorted(queued)  # every message arrived...
    assert set(sent.values()) == {1}  # ...exactly once
    assert Message.objects.filter(pk__in=queued, status=MessageStatus.SENT, attempts=1).count() == 200
    # Both workers took part (each claims a task at a time; neither can finish 200 sends before the other starts).
    claimed_by = Counter(ids[0] for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))
    assert len(claimed_by) == 2, claimed_by
