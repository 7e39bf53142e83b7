"""Reads for the staff pages: the queue, the day's bookings, one intake in full.

Every list is built with a fixed number of queries, whatever its length:
per-row facts come from annotations (subqueries), related rows from one
query per kind, never one per row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.http import Http404

from screening.booking.selectors import clinic_zone
from screening.models import (
    ACTIVE_BOOKING_STATUSES,
    Booking,
    BookingStatus,
    Flag,
    Intake,
    Outcome,
    Question,
    QuestionType,
    Rule,
    Screening,
    Step,
)
from screening.models.staff import FINAL_DECISION_KINDS, AuditEvent, IntakeDecision, PatientQuestion
from screening.selectors import steps_with_questions

PAGE_SIZE = 25
HISTORY_LIMIT = 100
UPCOMING_DAYS = 7


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


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""  # "", "review", "waiting"
    outcome: str = ""
    rule: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str = ""


@dataclass
class QueuePage:
    page: Page
    counts: dict[str, int]
    filters: QueueFilters


# --- per-intake review facts, as annotations ---------------------------------------


def _review_annotations(intake_ref: str) -> dict:
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


def _decided_annotation() -> Exists:
    return Exists(
        IntakeDecision.objects.filter(screening_id=OuterRef("latest_screening_id"), kind__in=FINAL_DECISION_KINDS)
    )


def _needs_review_q(outcome_field: str) -> Q:
    """Review due: a review outcome or a held time, the latest screening undecided, no question pending."""
    return Q(
        Q(**{outcome_field: Outcome.REVIEW}) | Q(held_start__isnull=False),
        decided=False,
        open_question=False,
    )


def review_state(obj) -> str:
    """The review state of an annotated intake (or booking)."""
    if obj.open_question:
        return ReviewState.WAITING
    if obj.needs_review:
        return ReviewState.NEEDS_REVIEW
    if obj.last_decision_kind in FINAL_DECISION_KINDS:
        return obj.last_decision_kind
    return ReviewState.NONE


# --- the queue --------------------------------------------------------------------


def _annotated_intakes() -> QuerySet[Intake]:
    return (
        Intake.objects.filter(status=Intake.Status.SUBMITTED)
        .select_related("treatment")
        .annotate(**_review_annotations("pk"))
        .annotate(decided=_decided_annotation())
    )


def intakes_for_queue(*, filters: QueueFilters) -> QuerySet[Intake]:
    """Submitted intakes matching the filters, those needing review first.

    Among those: held bookings by soonest appointment, then the oldest
    submission. Then everyone else, newest first.
    """
    qs = _apply_filters(_annotated_intakes(), filters)
    return qs.annotate(
        needs_review=ExpressionWrapper(_needs_review_q("outcome"), output_field=BooleanField()),
    ).annotate(
        waiting_since=Case(When(needs_review=True, then=F("submitted_at")), output_field=DateTimeField()),
    ).order_by(
        F("needs_review").desc(),
        F("held_start").asc(nulls_last=True),
        F("waiting_since").asc(nulls_last=True),
        F("submitted_at").desc(),
        "-id",
    )


def queue_counts(*, filters: QueueFilters) -> dict[str, int]:
    """How many match, need review, wait for the patient, hold a time: one query.

    Counted from the plain conditions, not the queue's derived annotations
    (Django does not carry those into the aggregate's subquery).
    """
    return _apply_filters(_annotated_intakes(), filters).aggregate(
        total=Count("pk"),
        needs_review=Count("pk", filter=_needs_review_q("outcome")),
        waiting=Count("pk", filter=Q(open_question=True)),
        held=Count("pk", filter=Q(held_start__isnull=False)),
    )


def _apply_filters(qs: QuerySet[Intake], filters: QueueFilters) -> QuerySet[Intake]:
    if filters.outcome:
        qs = qs.filter(outcome=filters.outcome)
    if filters.rule:
        qs = qs.filter(Exists(Flag.objects.filter(screening_id=OuterRef("latest_screening_id"),
                                                  rule_code=filters.rule)))
    tz = clinic_zone()
    if filters.submitted_from:
        qs = qs.filter(submitted_at__gte=datetime.combine(filters.submitted_from, time(0), tzinfo=tz))
    if filters.submitted_to:
        qs = qs.filter(submitted_at__lt=datetime.combine(filters.submitted_to + timedelta(days=1), time(0), tzinfo=tz))
    for word in filters.search.split()[:5]:
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word))
    return qs


def queue_page(*, filters: QueueFilters, page_number: str | int | None) -> QueuePage:
    """One page of the queue, its counts, and each row's flags and booking, in a fixed number of queries."""
    counts = queue_counts(filters=filters)
    matching = intakes_for_queue(filters=filters)
    if filters.state == ReviewState.NEEDS_REVIEW:
        matching = matching.filter(needs_review=True)
    elif filters.state == ReviewState.WAITING:
        matching = matching.filter(open_question=True)
    rows = matching.prefetch_related(
        Prefetch(
            "bookings",
            queryset=Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES).select_related("practitioner"),
            to_attr="active_bookings",
        )
    )
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    _attach_flags(page.object_list)
    for intake in page.object_list:
        intake.state = review_state(intake)
        intake.booking = intake.active_bookings[0] if intake.active_bookings else None
    return QueuePage(page=page, counts=counts, filters=filters)


def _attach_flags(intakes) -> None:
    """Each intake's latest-screening flags, in one query for the whole page."""
    intakes = list(intakes)
    by_screening: dict[int, list[Flag]] = defaultdict(list)
    ids = [i.latest_screening_id for i in intakes if i.latest_screening_id]
    for flag in Flag.objects.filter(screening_id__in=ids).order_by("id"):
        by_screening[flag.screening_id].append(flag)
    for intake in intakes:
        intake.flags = by_screening.get(intake.latest_screening_id, [])


def rule_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} · {name}") for code, name in Rule.objects.order_by("code").values_list("code", "name")]


# --- the day's bookings -----------------------------------------------------------


def bookings_upcoming(*, now: datetime, days: int = UPCOMING_DAYS) -> list[Booking]:
    """Active bookings from the start of today (clinic time) for ``days`` days, soonest first.

    Each carries its patient's screening outcome and review state.
    """
    tz = clinic_zone()
    today = now.astimezone(tz).date()
    start = datetime.combine(today, time(0), tzinfo=tz)
    end = datetime.combine(today + timedelta(days=days), time(0), tzinfo=tz)
    bookings = list(
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES, start__gte=start, start__lt=end)
        .select_related("intake", "practitioner", "treatment")
        .annotate(**_review_annotations("intake_id"))
        .annotate(decided=_decided_annotation())
        .annotate(needs_review=ExpressionWrapper(_needs_review_q("intake__outcome"), output_field=BooleanField()))
        .order_by("start", "practitioner__name")
    )
    for booking in bookings:
        booking.state = review_state(booking)
        booking.local_start = booking.start.astimezone(tz)
        booking.local_end = booking.end.astimezone(tz)
    return bookings


# --- one intake -------------------------------------------------------------------


@dataclass
class AnswerRow:
    question: Question
    value: str
    flagged_by: list[str] = field(default_factory=list)


@dataclass
class StepAnswers:
    step: Step
    rows: list[AnswerRow]


@dataclass
class FlagView:
    flag: Flag
    evidence: list[tuple[str, str]]
    window: str


@dataclass
class IntakeDetail:
    intake: Intake
    screening: Screening | None
    flags: list[FlagView]
    steps: list[StepAnswers]
    screenings: list[Screening]
    bookings: list[Booking]
    decisions: list[IntakeDecision]
    open_question: PatientQuestion | None
    history: list[AuditEvent]
    needs_review: bool
    state: str


def intake_for_staff(*, public_id) -> Intake:
    intake = (
        Intake.objects.select_related("treatment")
        .filter(public_id=public_id, status=Intake.Status.SUBMITTED)
        .annotate(**_review_annotations("pk"))
        .annotate(decided=_decided_annotation())
        .annotate(needs_review=ExpressionWrapper(_needs_review_q("outcome"), output_field=BooleanField()))
        .first()
    )
    if intake is None:
        raise Http404("No such intake.")
    return intake


def intake_detail(*, intake: Intake) -> IntakeDetail:
    """Everything a clinician reads before deciding, from an intake got by ``intake_for_staff``."""
    screenings = list(
        intake.screenings.order_by("-created_at", "-id").prefetch_related(
            Prefetch("flags", queryset=Flag.objects.select_related("rule").order_by("id"))
        )
    )
    current = screenings[0] if screenings else None
    questions = {
        q.code: q for q in Question.objects.select_related("step").order_by("step__number", "order", "id")
    }
    flags = list(current.flags.all()) if current else []
    flagged: dict[str, list[str]] = defaultdict(list)
    for flag in flags:
        for code in flag.evidence:
            flagged[code].append(flag.rule_code)
    answers = current.answers if current else intake.answers
    decisions = list(
        intake.decisions.select_related("decided_by", "screening", "question").order_by("-decided_at", "-id")
    )
    open_question = next(
        (d.question for d in decisions if d.kind == "ask" and hasattr(d, "question") and d.question.is_open), None
    ) if intake.open_question else None
    return IntakeDetail(
        intake=intake,
        screening=current,
        flags=[FlagView(f, [(_label(questions, c), _value(questions.get(c), v)) for c, v in f.evidence.items()],
                        _window(f)) for f in flags],
        steps=_answers_by_step(questions, answers, flagged),
        screenings=screenings,
        bookings=list(intake.bookings.select_related("practitioner").order_by("-created_at", "-id")),
        decisions=decisions,
        open_question=open_question,
        history=list(AuditEvent.objects.filter(intake_id=intake.pk).order_by("-at", "-id")[:HISTORY_LIMIT]),
        needs_review=intake.needs_review,
        state=review_state(intake),
    )


def _answers_by_step(questions: dict[str, Question], answers: dict, flagged: dict[str, list[str]]) -> list[StepAnswers]:
    steps: dict[int, StepAnswers] = {}
    for q in questions.values():
        shown = not q.show_when_question or answers.get(q.show_when_question) == q.show_when_value
        if not (q.active and shown) and q.code not in answers:
            continue
        group = steps.setdefault(q.step.number, StepAnswers(step=q.step, rows=[]))
        value = _value(q, answers[q.code]) if q.code in answers else "Not answered"
        group.rows.append(AnswerRow(question=q, value=value, flagged_by=flagged.get(q.code, [])))
    return [steps[n] for n in sorted(steps)]


def _label(questions: dict[str, Question], code: str) -> str:
    q = questions.get(code)
    return q.label if q else code


def _value(q: Question | None, value) -> str:
    """An answer as staff read it: Yes/No, a date, choice labels."""
    if q is None:
        return str(value)
    if q.type == QuestionType.YES_NO:
        return {True: "Yes", False: "No"}.get(value, str(value))
    if q.type == QuestionType.DATE:
        if value is None:
            return "Never / not applicable"
        try:
            return f"{date.fromisoformat(value):%d %b %Y}"
        except (TypeError, ValueError):
            return str(value)
    labels = {c["code"]: c["label"] for c in q.choices or []}
    if q.type == QuestionType.CHOICE:
        return labels.get(value, str(value))
    if q.type == QuestionType.MULTI:
        return ", ".join(labels.get(v, str(v)) for v in value or []) or "None"
    return str(value) if value not in ("", None) else "—"


def _window(flag: Flag) -> str:
    """A date rule's window, as the revision that raised the flag had it, when that is still known."""
    rule = flag.rule
    if rule is None:
        return ""
    parts = []
    for condition in rule.conditions or []:
        if condition.get("op") == "within_days":
            parts.append(f"within {condition.get('value')} days before the appointment")
        elif condition.get("op") == "age_under":
            parts.append(f"under {condition.get('value')} years old on the appointment date")
    if not parts and flag.eligible_from is None:
        return ""
    if rule.revision != flag.rule_revision:
        return f"not recorded for revision {flag.rule_revision} (the rule is now at revision {rule.revision})"
    return "; ".join(parts)


# --- the patient's side of a question -----------------------------------------------

# Steps holding these stay as they were: contact details and consent are not
# what a clinician's question is about.
_NOT_UPDATABLE = {"first_name", "last_name", "email", "date_of_birth", "consent_signature"}


def steps_patient_can_update() -> list[Step]:
    return [
        step for step in steps_with_questions()
        if not any(q.must_be_true or q.code in _NOT_UPDATABLE for q in step.questions.all())
    ]


def open_question_for(*, intake: Intake) -> PatientQuestion | None:
    return PatientQuestion.objects.filter(intake=intake, answered_at__isnull=True, closed_at__isnull=True).first()
