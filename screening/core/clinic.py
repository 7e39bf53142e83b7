"""The clinic's time zone and date: times are stored in UTC and shown, and "today" read, in the clinic's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Subquery
from django.utils import timezone

from screening.core.models import ClinicSettings


def clinic_zone() -> ZoneInfo:
    """The clinic's time zone: the admin's setting, else settings.CLINIC_TIME_ZONE."""
    name = ClinicSettings.objects.filter(pk=1).values_list("time_zone", flat=True).first()
    return ZoneInfo(name or settings.CLINIC_TIME_ZONE)


def clinic_today(now: datetime | None = None) -> date:
    """Today's date in the clinic."""
    return (now or timezone.now()).astimezone(clinic_zone()).date()


def today_in(zone_name: str | None, now: datetime | None = None) -> date:
    """Today's date in the zone read along a query (``clinic_time_zone_column``): no query of its own."""
    return (now or timezone.now()).astimezone(ZoneInfo(zone_name or settings.CLINIC_TIME_ZONE)).date()


def clinic_time_zone_column() -> Subquery:
    """The clinic's time zone name as a column: it rides along a page's main query instead of costing one."""
    return Subquery(ClinicSettings.objects.filter(pk=1).values("time_zone")[:1])


def clinic_profile() -> ClinicSettings:
    """The clinic's settings row (unsaved defaults when the admin never saved one): address, phone, reminders."""
    return ClinicSettings.objects.filter(pk=1).first() or ClinicSettings(pk=1)
