"""The client's address, for rate limits, sign-in lockouts (django-axes) and the audit trail.

By default the socket peer (REMOTE_ADDR): X-Forwarded-For is a header
anyone can send. Behind reverse proxies that append to X-Forwarded-For
(nginx ``$proxy_add_x_forwarded_for``, most load balancers), set
``DJANGO_TRUSTED_PROXY_COUNT`` to how many of them stand in front of the
app: the client is then the address that many entries from the right of
the header, the last one a trusted proxy wrote. Entries further left are the
client's own claims and are never used. A header shorter than the count
(a request that did not come through every proxy) or an entry that is not
an address falls back to the peer.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    peer = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not trusted:
        return peer
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < trusted:
        return peer
    return _address(hops[-trusted]) or peer
