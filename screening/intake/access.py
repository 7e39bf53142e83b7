"""How a patient without an account reaches their own intake.

A patient proves who they are with a secret link (see services.links). The
link is exchanged for a mark in their session; from then on the session,
not the URL, carries access. Anything not marked is a 404, so one patient's
session never reveals that another patient's intake exists.

Staff can revoke an intake's links (``services.links.links_revoke``). That
also ends every patient session granted before the revocation: each grant
remembers when it was made (``GRANTED_AT_KEY``), and a grant older than the
intake's ``access_revoked_at`` is dropped on its next use. A grant whose
time is unknown (made before grant times were kept) counts as older than
any revocation. No extra query: the intake row is read anyway.
"""

from __future__ import annotations

import time

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from screening.core.client_ip import PATIENT_SESSION_KEY
from screening.core.language import remember_language
from screening.intake.models import Intake

SESSION_KEY = PATIENT_SESSION_KEY  # the audit trail tells patients by it
# {public_id: Unix time of the grant}, beside SESSION_KEY's list.
GRANTED_AT_KEY = "patient_intakes_granted_at"
# Unix time of the patient's last request, to the minute (screening.intake.middleware ends an idle session).
SEEN_AT_KEY = "patient_seen_at"


def grant(request: HttpRequest, intake: Intake) -> None:
    allowed = list(request.session.get(SESSION_KEY, []))
    key = str(intake.public_id)
    if key in allowed:
        allowed.remove(key)
    allowed.append(key)
    # Keep the list short: a shared tablet should not collect everyone.
    allowed = allowed[-10:]
    request.session[SESSION_KEY] = allowed
    granted_at = dict(request.session.get(GRANTED_AT_KEY, {}))
    granted_at[key] = time.time()
    request.session[GRANTED_AT_KEY] = {k: v for k, v in granted_at.items() if k in allowed}
    request.session[SEEN_AT_KEY] = granted_at[key]
    remember_language(request, intake.language)  # the link brings back the language the patient chose


def revoke(request: HttpRequest, public_id) -> None:
    """Forget this session's grant of one intake."""
    key = str(public_id)
    allowed = [k for k in request.session.get(SESSION_KEY, []) if k != key]
    request.session[SESSION_KEY] = allowed
    granted_at = dict(request.session.get(GRANTED_AT_KEY, {}))
    granted_at.pop(key, None)
    request.session[GRANTED_AT_KEY] = granted_at


def granted_before_revocation(request: HttpRequest, intake: Intake) -> bool:
    """True when staff revoked the intake's links after this session was granted it."""
    if intake.access_revoked_at is None:
        return False
    granted_at = request.session.get(GRANTED_AT_KEY, {}).get(str(intake.public_id))
    return not isinstance(granted_at, (int, float)) or granted_at <= intake.access_revoked_at.timestamp()


def has_access(request: HttpRequest, public_id) -> bool:
    return str(public_id) in request.session.get(SESSION_KEY, [])


def patient_intake_or_404(
    request: HttpRequest, public_id, *, for_update: bool = False, queryset: QuerySet[Intake] | None = None
) -> Intake:
    """The session's intake, or 404. ``queryset`` may add to the read (e.g. an annotation)."""
    if not has_access(request, public_id):
        raise Http404("No such intake.")
    qs = queryset if queryset is not None else Intake.objects.select_related("treatment")
    if for_update:
        qs = qs.select_for_update()
    try:
        intake = qs.get(public_id=public_id)
    except Intake.DoesNotExist:
        raise Http404("No such intake.") from None
    if granted_before_revocation(request, intake):
        revoke(request, public_id)
        raise Http404("No such intake.")
    return intake
