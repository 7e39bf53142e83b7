"""How a patient without an account reaches their own intake.

A patient proves who they are with a secret link (see services.links). The
link is exchanged for a mark in their session; from then on the session,
not the URL, carries access. Anything not marked is a 404, so one patient's
session never reveals that another patient's intake exists.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from screening.models import Intake

SESSION_KEY = "patient_intakes"


def grant(request: HttpRequest, intake: Intake) -> None:
    allowed = list(request.session.get(SESSION_KEY, []))
    key = str(intake.public_id)
    if key not in allowed:
        allowed.append(key)
    # Keep the list short: a shared tablet should not collect everyone.
    request.session[SESSION_KEY] = allowed[-10:]


def has_access(request: HttpRequest, public_id) -> bool:
    return str(public_id) in request.session.get(SESSION_KEY, [])


def patient_intake_or_404(request: HttpRequest, public_id, *, for_update: bool = False) -> Intake:
    if not has_access(request, public_id):
        raise Http404("No such intake.")
    qs = Intake.objects.select_related("treatment")
    if for_update:
        qs = qs.select_for_update()
    try:
        return qs.get(public_id=public_id)
    except Intake.DoesNotExist:
        raise Http404("No such intake.") from None
