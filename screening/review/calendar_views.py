"""Staff: the practitioners' calendar links (clinic admins): make a new one (shown once), or stop one."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from screening.booking.feeds import calendar_feed_issue, calendar_feed_revoke, feed_url
from screening.booking.models import CalendarFeed, Practitioner
from screening.core.client_ip import request_actor
from screening.review.permissions import CHANGE_CLINIC, requires


def _page(request: HttpRequest, *, new_link: str = "", new_for: Practitioner | None = None) -> HttpResponse:
    live = set(CalendarFeed.objects.filter(revoked_at__isnull=True).values_list("practitioner_id", flat=True))
    practitioners = list(Practitioner.objects.order_by("name", "pk"))
    for p in practitioners:
        p.has_feed = p.pk in live
    return render(request, "review/calendars.html",
                  {"practitioners": practitioners, "new_link": new_link, "new_for": new_for})


@never_cache
@require_safe
@requires(CHANGE_CLINIC)
def calendars(request: HttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@require_POST
@requires(CHANGE_CLINIC)
def calendar_new(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    """A new link, shown on this page only (it is not stored); the previous link stops working."""
    practitioner = get_object_or_404(Practitioner, pk=practitioner_id)
    token = calendar_feed_issue(practitioner_id=practitioner.pk, by=request_actor(request))
    return _page(request, new_link=feed_url(token), new_for=practitioner)


@require_POST
@requires(CHANGE_CLINIC)
def calendar_revoke(request: HttpRequest, practitioner_id: int) -> HttpResponse:
    practitioner = get_object_or_404(Practitioner, pk=practitioner_id)
    if calendar_feed_revoke(practitioner_id=practitioner.pk, by=request_actor(request)):
        messages.success(request, f"{practitioner.name}'s calendar link no longer works.")
    else:
        messages.info(request, f"{practitioner.name} had no calendar link.")
    return redirect("staff:calendars")
