"""Rate limits for patients' public actions, counted in the database.

Fixed windows: at most ``limit`` actions per ``seconds`` for one scope and
one client (an address, a device, or an email for link requests). Over the
limit the patient gets a friendly 429 page saying when to try again, with a
``Retry-After`` of the seconds left in the window.

Intake starts are counted twice: per device (a signed cookie the start page
sets; a client without one counts by its address) within a larger allowance
per address, so one busy reception tablet, or many phones behind one mobile
carrier's address, are not locked out by each other.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
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


def too_many(request, scope: str, *, now: datetime | None = None):
    _, seconds = settings.RATE_LIMITS[scope]
    now = now or timezone.now()
    left = max(1, int((_window_start(now, seconds) + timedelta(seconds=seconds) - now).total_seconds()))
    response = render(request, "429.html", {"minutes": max(1, -(-left // 60))}, status=429)
    response["Retry-After"] = str(left)
    return response


DEVICE_COOKIE = "clinic_device"
DEVICE_SALT = "screening.core.ratelimit.device"


def device_id(request) -> str | None:
    """The device's id from its signed cookie; None without a valid one."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT)


def remember_device(request, response) -> None:
    """Give a device its id (a year), unless it has one."""
    if device_id(request) is None:
        response.set_signed_cookie(DEVICE_COOKIE, secrets.token_urlsafe(16), salt=DEVICE_SALT,
                                   max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                                   secure=settings.SESSION_COOKIE_SECURE)


def intake_start_allowed(request) -> bool:
    """Within the per-device limit and the address's larger allowance."""
    address = client_address(request)
    device = device_id(request)
    return (allowed(request, "intake_start", f"device:{device}" if device else address)
            and allowed(request, "intake_start_address", address))
