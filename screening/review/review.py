"""Where an intake stands in review, as SQL annotations shared by the staff pages.

An intake *needs review* when its outcome is "review" or it holds a time,
no clinician has decided on its latest screening, and no question to the
patient is pending.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery

from screening.booking.models import Booking, BookingStatus
from screening.core.models import ClinicSettings
from screening.intake.models import PatientQuestion, Screening
from screening.questionnaire.models import Outcome
from screening.review.models import FINAL_DECISION_KINDS, IntakeDecision


class ReviewState:
    NEEDS_REVIEW = "review"
    WAITING = "waiting"
    CLEARED = "clear"
    DECLINED = "decline"
    NONE = ""

    LABELS = {
        NEEDS_REVIEW: "Needs review",
        WAITING: "Waiting for the patient",
        CLEARED: "Cleared",
        DECLINED: "Declined",
        NONE: "",
    }


def review_annotations(intake_ref: str) -> dict:
    """Annotations about the intake ``intake_ref`` points at (``pk`` on intakes, ``intake_id`` on bookings)."""
    latest = Screening.objects.filter(intake_id=OuterRef(intake_ref)).order_by("-created_at", "-id")
    return {
        "latest_screening_id": Subquery(latest.values("id")[:1]),
        "latest_screened_at": Subquery(latest.values("created_at")[:1]),
        "held_start": Subquery(
            Booking.objects.filter(intake_id=OuterRef(intake_ref), status=BookingStatus.HELD)
            .order_by("start").values("start")[:1]
        ),
        "open_question": Exists(
            PatientQuestion.objects.filter(
                intake_id=OuterRef(intake_ref), answered_at__isnull=True, closed_at__isnull=True
            )
        ),
        "last_decision_kind": Subquery(
            IntakeDecision.objects.filter(intake_id=OuterRef(intake_ref))
            .order_by("-decided_at", "-id").values("kind")[:1]
        ),
    }


def decided_annotation() -> Exists:
    return Exists(
        IntakeDecision.objects.filter(screening_id=OuterRef("latest_screening_id"), kind__in=FINAL_DECISION_KINDS)
    )


def needs_review_q(outcome_field: str) -> Q:
    """Review due: a review outcome or a held time, the latest screening undecided, no question pending."""
    return Q(
        Q(**{outcome_field: Outcome.REVIEW}) | Q(held_start__isnull=False),
        decided=False,
        open_question=False,
    )


def needs_review(*, outcome: str, held_start, decided: bool, open_question: bool) -> bool:
    """``needs_review_q`` in Python, for rows already read."""
    return (outcome == Outcome.REVIEW or held_start is not None) and not decided and not open_question


def review_state(obj) -> str:
    """The review state of an annotated intake (or booking)."""
    if obj.open_question:
        return ReviewState.WAITING
    if obj.needs_review:
        return ReviewState.NEEDS_REVIEW
    if obj.last_decision_kind in FINAL_DECISION_KINDS:
        return obj.last_decision_kind
    return ReviewState.NONE


def clinic_time_zone_column() -> Subquery:
    """The clinic's time zone name as a column: it rides along a page's main query instead of costing one."""
    return Subquery(ClinicSettings.objects.filter(pk=1).values("time_zone")[:1])
