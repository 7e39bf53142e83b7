"""Two taps of one button arriving together: the shared harness of the double-tap tests (PostgreSQL).

The test holds a row lock (``hold``: a queryset to lock) while both requests
pass the page's own checks and reach the service, which waits on that row;
then it lets go, and one request acts while the other finds it done. The
requests come from one browser (the clients share their cookies).
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.test import Client

# Long enough for both requests to be waiting on the held row (the only pause: the race needs it).
WAIT_FOR_BOTH = 1.5


def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two requests racing for one row (set DATABASE_URL=postgres://...)")


def same_browser(first: Client) -> Client:
    second = Client(raise_request_exception=True)
    second.cookies = first.cookies
    return second


def two_taps(first: Client, url: str, data: dict, *, hold: QuerySet) -> list:
    """POST ``data`` to ``url`` twice at once from ``first``'s browser; the two responses (or exceptions)."""
    clients = (first, same_browser(first))
    responses: list = [None, None]

    def tap(index: int) -> None:
        try:
            responses[index] = clients[index].post(url, data)
        except Exception as exc:  # noqa: BLE001 - a 500 would arrive here; the test shows it
            responses[index] = exc
        finally:
            connections.close_all()

    with transaction.atomic():
        list(hold.select_for_update())  # both taps pass the page's checks, then wait here
        threads = [threading.Thread(target=tap, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(WAIT_FOR_BOTH)
    for thread in threads:
        thread.join(timeout=30)
    return responses


def statuses(responses: list) -> list:
    return [getattr(r, "status_code", r) for r in responses]
