"""The outbox's task: send one message (run by the worker, ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from screening.outbox.delivery import message_deliver


@task()
def send_message(message_id: int) -> str:
    return message_deliver(message_id)
