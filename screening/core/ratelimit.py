"""Rate limits for patients' public actions, counted in the database.

Fixed windows: at most ``limit`` actions per ``seconds`` for one scope and
one client (address, or email for link requests). Over the limit the
patient gets a friendly 429 page saying when to try again.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from screening.core.client_ip import client_ip
from screening.core.models import RateLimitCounter


def _window_start(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def rate_limit_hit(*, scope: str, ident: str, limit: int, seconds: int, now: datetime | None = None) -> bool:
    """Count one action; True while the client is within its limit."""
    now = now or timezone.now()
    start = _window_start(now, seconds)
    key = hashlib.sha256(f"{scope}\x00{ident.lower()}".encode()).hexdigest()
    counters = RateLimitCounter.objects.filter(key=key, window_start=start)
    with transaction.atomic():
        if not counters.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateLimitCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another request created it a moment ago
                counters.update(count=F("count") + 1)
            else:
                # A new window: the time to forget old ones.
                RateLimitCounter.objects.filter(window_start__lt=now - timedelta(days=1)).delete()
        count = counters.values_list("count", flat=True).get()
    return count <= limit


def client_address(request) -> str:
    """The client's address (``screening.core.client_ip``: the peer, or per DJANGO_TRUSTED_PROXY_COUNT)."""
    return client_ip(request) or "unknown"


def limited(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """Limit a view by client address using settings.RATE_LIMITS[scope] = (limit, seconds)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and not allowed(request, scope, client_address(request)):
                return too_many(request, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def allowed(request, scope: str, ident: str) -> bool:
    if not settings.RATE_LIMITS_ENABLED:
        return True
    limit, seconds = settings.RATE_LIMITS[scope]
    return rate_limit_hit(scope=scope, ident=ident, limit=limit, seconds=seconds)


def too_many(request, scope: str):
    _, seconds = settings.RATE_LIMITS[scope]
    response = render(request, "429.html", {"minutes": max(1, seconds // 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
