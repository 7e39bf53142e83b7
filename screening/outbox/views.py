"""``/health/`` for load balancers and monitors: is this server able to serve, and is the worker working.

Anonymous, and saying nothing but "ok" or "failing" per check: no versions,
no hosts, no counts, no error text (a database error names the host).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from screening.outbox.heartbeat import outbox_is_moving, worker_is_fresh

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database did not answer", exc_info=True)
        return False


def _answer(checks: dict[str, bool]) -> JsonResponse:
    healthy = all(checks.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "failing",
         "checks": {name: "ok" if passed else "failing" for name, passed in checks.items()}},
        status=200 if healthy else 503,
    )
    add_never_cache_headers(response)
    return response


@csrf_exempt  # no cookie is read; a POST gets 405, not the CSRF page
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """The whole stack: the database, a worker beating, no message waiting too long for it."""
    database = _database_answers()
    return _answer({
        "database": database,
        "worker": database and worker_is_fresh(),
        "outbox": database and outbox_is_moving(),
    })


@csrf_exempt
@require_safe
def health_web(request: HttpRequest) -> JsonResponse:
    """This web server alone: it runs and reaches the database (what a load balancer routes by)."""
    return _answer({"database": _database_answers()})
