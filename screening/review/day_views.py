"""The day view (/staff/day/): today's and tomorrow's appointments per practitioner, to read and to print."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from screening.audit.log import audit_log
from screening.audit.models import AuditAction
from screening.core.client_ip import request_actor
from screening.review.day import day_sheet
from screening.review.permissions import VIEW_INTAKES, requires

AUDIT_DETAIL_MAX = 200


def id_param(request: HttpRequest, name: str) -> int | None:
    """A filter's id in the query string; anything else is no filter."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@never_cache
@require_safe
@requires(VIEW_INTAKES)
def day_view(request: HttpRequest) -> HttpResponse:
    sheet = day_sheet(now=timezone.now(), practitioner_id=id_param(request, "practitioner"),
                      location_id=id_param(request, "location"))
    # Flags and notes of each patient shown: a read of health data, recorded (the intakes' ids only).
    ids = ",".join(str(pk) for pk in sheet.intake_ids)
    detail = f"day view: intakes {ids or 'none'}"
    if len(detail) > AUDIT_DETAIL_MAX:
        detail = detail[: AUDIT_DETAIL_MAX - 12].rsplit(",", 1)[0] + f" (+{len(sheet.intake_ids)} in all)"
    audit_log(action=AuditAction.RECORDS_LISTED, actor=request_actor(request), detail=detail)
    with timezone.override(sheet.zone):
        return render(request, "review/day.html", {"sheet": sheet})
