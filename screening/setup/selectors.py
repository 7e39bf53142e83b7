"""Reads for the clinic admin's screens that need patients' intakes: the what-if preview's cases."""

from __future__ import annotations

import json

from django.db import connection
from django.db.models import OuterRef, Subquery

from screening.core.clinic import clinic_zone, location_zone
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
    the intake's current answers, the appointment's date where it is: its location's). What a rule change
    is tried on."""
    from django.utils import timezone

    from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking

    rows = (
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES, start__gt=now or timezone.now())
        .order_by("start", "pk")
        .values_list("pk", "treatment__code", "intake__answers", "start", "practitioner__location__time_zone")
    )
    zone = clinic_zone()
    return [(pk, treatment, answers or {}, start.astimezone(location_zone(place, default=zone)).date())
            for pk, treatment, answers, start, place in rows]


def recent_intakes(limit: int = 30) -> list[tuple[int, str]]:
    """(id, "Pat B., 6 December 2026, Face and neck: eligible") of the last submitted intakes."""
    rows = (Intake.objects.filter(status=Intake.Status.SUBMITTED).order_by("-submitted_at", "-id")
            .select_related("treatment")[:limit])
    zone = clinic_zone()
    return [(i.pk, f"{i.first_name} {i.last_name[:1]}., {i.submitted_at.astimezone(zone):%-d %B %Y}, "
                   f"{i.treatment.name}: {i.get_outcome_display().lower()}") for i in rows]


def intake_as_example(intake_id: int, codes: list[str]) -> dict | None:
    """A past intake as an example to tweak: its answers to ``codes``, its treatment, the date it was
    screened for and its outcome then; None for an unknown or unsubmitted intake."""
    intake = (Intake.objects.filter(pk=intake_id, status=Intake.Status.SUBMITTED).select_related("treatment")
              .annotate(screened_for=Subquery(Screening.objects.filter(intake=OuterRef("pk"))
                                              .order_by("-created_at", "-id").values("on_date")[:1])).first())
    if intake is None:
        return None
    on_date = intake.screened_for or intake.submitted_at.astimezone(clinic_zone()).date()
    answers = {code: intake.answers[code] for code in codes if code in (intake.answers or {})}
    return {"answers": answers, "treatment": intake.treatment.code, "on_date": on_date.isoformat(),
            "expected": intake.outcome, "note": f"from intake {intake.public_id}"[:200]}


def stored_preview_items(codes: list[str], limit: int = PREVIEW_DEFAULT_LIMIT) -> list:
    """The last ``limit`` submitted intakes' latest screenings as ``questionnaire.what_if.StoredItem`` tuples:
    only the answers to ``codes`` (read out of the JSON by the database), the stored result and its flags.
    Three queries (on PostgreSQL the screenings and flags by one array of ids, which is fastest)."""
    latest = Subquery(Screening.objects.filter(intake=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1])
    heads = (Intake.objects.filter(status=Intake.Status.SUBMITTED).order_by("-submitted_at", "-id")
             .annotate(latest=latest).values_list("latest", "treatment__code")[:limit])
    treatment_of = {pk: code for pk, code in heads if pk is not None}
    ids = list(treatment_of)
    flags: dict[int, list] = {}
    for screening_id, *flag in _flag_rows(ids):
        flags.setdefault(screening_id, []).append(tuple(flag))
    items = []
    newest_first = {pk: n for n, pk in enumerate(ids)}  # the database returns the rows in no set order
    rows = sorted(_screening_rows(ids, codes), key=lambda row: newest_first[row[0]])
    for pk, intake_id, on_date, outcome, eligible_from, missing, *answers in rows:
        missing = missing or []
        # The database gives None for a JSON null ("never") and for no answer alike: an answer the
        # screening did not miss is a null one.
        raw = {code: value for code, value in zip(codes, answers, strict=True)
               if value is not None or code not in missing}
        items.append((intake_id, treatment_of[pk], raw, on_date, outcome, eligible_from, missing, flags.get(pk, ())))
    return items


def _screening_rows(ids: list[int], codes: list[str]) -> list[tuple]:
    if connection.vendor == "postgresql":
        keys = "".join(", answers -> %s" for _ in codes)
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, intake_id, on_date, outcome, eligible_from, missing" + keys
                           + " FROM intake_screening WHERE id = ANY(%s)", [*codes, ids])
            # Django has psycopg hand JSON over as text (its JSONField decodes it): decode it here.
            return [(*row[:5], *(None if v is None else json.loads(v) if isinstance(v, str) else v
                                 for v in row[5:])) for row in cursor.fetchall()]
    names = [f"answers__{code}" for code in codes]
    return [row for start in range(0, len(ids), 10_000) for row in Screening.objects.filter(
        pk__in=ids[start:start + 10_000]).values_list(
        "pk", "intake_id", "on_date", "outcome", "eligible_from", "missing", *names)]


def _flag_rows(ids: list[int]) -> list[tuple]:
    from screening.intake.models import Flag

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT screening_id, rule_code, severity, eligible_from FROM intake_flag "
                           "WHERE screening_id = ANY(%s)", [ids])
            return cursor.fetchall()
    return [row for start in range(0, len(ids), 10_000) for row in Flag.objects.filter(
        screening_id__in=ids[start:start + 10_000]).values_list("screening_id", "rule_code", "severity",
                                                                 "eligible_from")]
