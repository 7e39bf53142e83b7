"""Where a submitted intake stands with the clinicians: the review state and how it follows from the facts.

The state is stored on the intake (``Intake.review_state``) so the staff
queue can filter and order by it. It is written only by the services that
change what it depends on, inside their transaction:

- the patient sends the intake (``intake_submit``, ``intake_finish``);
- a new screening replaces the intake's outcome (``record_screening`` with
  ``update_intake``: a re-screen, the patient's answer to a question);
- a booking is held, confirmed, moved, cancelled, released or expires
  (screening.booking.services);
- a clinician clears, declines or asks (screening.review.services).

Bookings and decisions belong to the apps above this one. Their facts are
read through the reverse relations those apps declare on the intake
(``bookings``, ``decisions``), so this app imports neither.
"""

from __future__ import annotations

from django.db.models import Exists, Subquery
from django.utils import timezone

from screening.intake.models import Intake, PatientQuestion, ReviewState, Screening
from screening.questionnaire.models import Outcome

# The booking app's held status, and the review app's final decisions, by value
# (tests/intake/test_review_state.py keeps them equal to those apps' own names).
HELD = "held"
FINAL_DECISION_KINDS = (ReviewState.CLEARED.value, ReviewState.DECLINED.value)


def review_state_for(*, outcome: str, held: bool = False, open_question: bool = False, decided: bool = False,
                     last_decision: str | None = None) -> ReviewState:
    """The state of a submitted intake, from its facts.

    - waiting: a question to the patient is open;
    - needs review: the outcome is "review" or a time is held, and no
      clinician has cleared or declined the latest screening;
    - cleared or declined: the intake's last decision, when it was one;
    - otherwise nothing to review.
    """
    if open_question:
        return ReviewState.WAITING
    if (outcome == Outcome.REVIEW or held) and not decided:
        return ReviewState.NEEDS_REVIEW
    if last_decision in FINAL_DECISION_KINDS:
        return ReviewState(last_decision)
    return ReviewState.NONE


def review_state_now(intake: Intake) -> tuple[str, ReviewState]:
    """The intake's state as stored, and as its facts give it now: both read from the database, in one query."""
    latest = Screening.objects.filter(intake_id=intake.pk).order_by("-created_at", "-id").values("pk")[:1]
    row = (
        Intake.objects.filter(pk=intake.pk)
        .annotate(
            held=Exists(intake.bookings.filter(status=HELD)),
            open_question=Exists(PatientQuestion.objects.filter(
                intake_id=intake.pk, answered_at__isnull=True, closed_at__isnull=True)),
            decided=Exists(intake.decisions.filter(screening_id=Subquery(latest), kind__in=FINAL_DECISION_KINDS)),
            last_decision=Subquery(intake.decisions.order_by("-decided_at", "-id").values("kind")[:1]),
        )
        .values("status", "review_state", "outcome", "held", "open_question", "decided", "last_decision")
        .get()
    )
    if row.pop("status") != Intake.Status.SUBMITTED:
        return row["review_state"], ReviewState.NONE
    return row.pop("review_state"), review_state_for(**row)


def intake_review_state_refresh(intake: Intake) -> ReviewState:
    """Set the intake's review state from its facts as written so far in this transaction.

    Call it after the change, inside the transaction that made it, with the
    intake locked. Writes only when the state changes; ``intake`` is
    updated in memory too.
    """
    stored, state = review_state_now(intake)
    if state != stored:
        Intake.objects.filter(pk=intake.pk).update(review_state=state, updated_at=timezone.now())
    intake.review_state = state
    return state
