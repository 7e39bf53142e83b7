"""Reads for the clinic admin's screens that need patients' intakes: the what-if preview's cases."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from screening.core.clinic import clinic_zone
from screening.intake.models import Intake, Screening
from screening.questionnaire.preview import PreviewItem

PREVIEW_DEFAULT_LIMIT = 500
PREVIEW_MAX_LIMIT = 100_000


def preview_items(limit: int = PREVIEW_DEFAULT_LIMIT) -> list[PreviewItem]:
    """The last ``limit`` submitted intakes as plain tuples, in one query.

    (intake id, treatment code, current answers, the date of their latest
    screening: the appointment date, or the day screened before one was chosen).
    """
    latest_on_date = Subquery(
        Screening.objects.filter(intake=OuterRef("pk")).order_by("-created_at", "-id").values("on_date")[:1]
    )
    rows = (
        Intake.objects.filter(status=Intake.Status.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .annotate(screened_for=latest_on_date)
        .values_list("id", "treatment__code", "answers", "screened_for", "submitted_at")[:limit]
    )
    zone = clinic_zone()
    return [
        (pk, treatment, answers or {}, on_date or submitted_at.astimezone(zone).date())
        for pk, treatment, answers, on_date, submitted_at in rows
    ]


def booking_items(*, now=None) -> list[PreviewItem]:
    """The upcoming held and confirmed bookings as plain tuples, in one query: (booking id, treatment code,
    the intake's current answers, the appointment's date in the clinic). What a rule change is tried on."""
    from django.utils import timezone

    from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking

    rows = (
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES, start__gt=now or timezone.now())
        .order_by("start", "pk")
        .values_list("pk", "treatment__code", "intake__answers", "start")
    )
    zone = clinic_zone()
    return [(pk, treatment, answers or {}, start.astimezone(zone).date()) for pk, treatment, answers, start in rows]
