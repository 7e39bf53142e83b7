"""Reads of the audit trail: the staff-side list of it (``screening.setup.area.audit_trail``)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from screening.audit.models import AuditEvent

TRAIL_PAGE_SIZE = 50


def trail_page(*, action: str = "", who: str = "", day: date | None = None, zone: ZoneInfo,
               before: int | None = None, size: int | None = None) -> tuple[list[AuditEvent], int | None]:
    """A page of lines, newest first, and the id to read older ones from (None: this is the oldest page).

    ``day`` is read in ``zone`` (the clinic's); pages go by id ("Older" continues below the last one shown).
    """
    size = size or TRAIL_PAGE_SIZE
    lines = AuditEvent.objects.order_by("-id")
    if action:
        lines = lines.filter(action=action)
    if who:
        lines = lines.filter(actor_label__iexact=who.strip())
    if day:
        start = datetime.combine(day, time(0), tzinfo=zone)
        lines = lines.filter(at__gte=start, at__lt=start + timedelta(days=1))
    if before:
        lines = lines.filter(id__lt=before)
    page = list(lines[: size + 1])
    older = page[size - 1].pk if len(page) > size else None
    return page[:size], older
