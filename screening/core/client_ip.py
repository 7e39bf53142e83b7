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

from screening.audit.log import ANONYMOUS, PATIENT, Actor


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


# The session key under which a patient's access to their intakes is kept
# (screening.intake.access): a request with it comes from a patient.
PATIENT_SESSION_KEY = "patient_intakes"


def request_actor(request: HttpRequest) -> Actor:
    """Who is acting on this request, for the audit trail: a staff user, a patient, or a stranger; and from where."""
    user = getattr(request, "user", None)
    ip = client_ip(request)
    if user is not None and user.is_authenticated:
        return Actor(user=user, label=user.get_username(), ip=ip)
    session = getattr(request, "session", None)
    is_patient = session is not None and bool(session.get(PATIENT_SESSION_KEY))
    return Actor(user=None, label=PATIENT if is_patient else ANONYMOUS, ip=ip)
