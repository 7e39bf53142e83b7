"""Reads for the staff pages: the queue and one intake in full (the list of bookings: ``booking_list``).

Every page is built with a fixed number of queries, whatever its length:
per-row facts come from columns and annotations (subqueries), small related
lists as JSON inside the parent's row (``json_rows``), never one query per
row. Where an intake stands in review is its own column
(``Intake.review_state``). The queue lives in ``queue``; its names are
re-exported here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import OuterRef
from django.http import Http404

from screening.audit.models import AuditEvent
from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking, Practitioner
from screening.core.clinic import (
    clinic_time_zone_column,
    location_zone,
    zone_note,
)
from screening.intake.models import Flag, Intake, PatientQuestion, ReviewState, Screening
from screening.questionnaire.models import Question, QuestionType, Rule, Step
from screening.review.json_rows import as_date, as_datetime, json_rows, rows_of
from screening.review.models import FINAL_DECISION_KINDS, IntakeDecision
from screening.review.queue import (  # noqa: F401  -- the queue's names, where callers find them
    PAGE_SIZE,
    QueueFilters,
    QueuePage,
    QueuePosition,
    filter_choices,
    queue_page,
)
from screening.rules import OPERATORS, is_shown

HISTORY_LIMIT = 100


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
    # A clinician cleared or declined the latest screening: re-screening it would reopen that decision.
    decided: bool

    @property
    def state(self) -> str:
        return self.intake.review_state

    @property
    def replied_question(self) -> PatientQuestion | None:
        """The clinic's latest question, when the patient has answered it and the intake waits for review again."""
        asked = next((d.patient_question for d in self.decisions if d.kind == "ask" and d.patient_question), None)
        return asked if asked is not None and asked.answered_at and self.needs_review else None

    @property
    def active_booking(self) -> Booking | None:
        """The held or confirmed booking, which the front desk may move or cancel for the patient."""
        return next((b for b in self.bookings if b.status in ACTIVE_BOOKING_STATUSES), None)

    @property
    def needs_review(self) -> bool:
        return self.intake.review_state == ReviewState.NEEDS_REVIEW


def intake_for_staff(*, public_id) -> Intake:
    """The intake with its bookings, decisions, history and the clinic's zone: one query."""
    intake = (
        Intake.objects.select_related("treatment", "assisted_by", "verbal_consent_by")
        .filter(public_id=public_id, status=Intake.Status.SUBMITTED)
        .annotate(
            zone=clinic_time_zone_column(),
            booking_rows=json_rows(
                Booking.objects.filter(intake_id=OuterRef("pk")), group_by="intake_id",
                id="id", start="start", end="end", status="status", hold_expires_at="hold_expires_at",
                created_at="created_at", practitioner_id="practitioner_id", practitioner_name="practitioner__name",
                location_zone="practitioner__location__time_zone",
            ),
            decision_rows=json_rows(
                IntakeDecision.objects.filter(intake_id=OuterRef("pk")), group_by="intake_id",
                id="id", kind="kind", note="note", decline_reason="decline_reason", decided_at="decided_at",
                screening_id="screening_id", decided_by_id="decided_by_id", username="decided_by__username",
                question_id="question__id", text="question__text", asked_at="question__asked_at",
                answered_at="question__answered_at", reply="question__reply", closed_at="question__closed_at",
            ),
            history_rows=json_rows(
                AuditEvent.objects.filter(pk__in=AuditEvent.objects.filter(intake_id=OuterRef(OuterRef("pk")))
                                          .order_by("-at", "-id").values("pk")[:HISTORY_LIMIT]),
                group_by="intake_id", id="id", at="at", actor_label="actor_label", action="action", detail="detail",
            ),
        )
        .first()
    )
    if intake is None:
        raise Http404("No such intake.")
    return intake


def intake_zone(intake: Intake) -> ZoneInfo:
    """The clinic's zone, read along with the intake by ``intake_for_staff``."""
    return ZoneInfo(getattr(intake, "zone", None) or settings.CLINIC_TIME_ZONE)


def intake_detail(*, intake: Intake, viewed: AuditEvent | None = None) -> IntakeDetail:
    """Everything a clinician reads before deciding, from an intake got by ``intake_for_staff``.

    Two queries: the screenings with their flags, and the questionnaire.
    ``viewed`` is the audit line of this very read, written after the
    intake (and its history) was read: it heads the history.
    """
    screenings = _screenings_with_flags(intake)
    current = screenings[0] if screenings else None
    questions = {
        q.code: q for q in Question.objects.select_related("step").order_by("step__number", "order", "id")
    }
    flags = current.flag_list if current else []
    flagged: dict[str, list[str]] = defaultdict(list)
    for flag in flags:
        for code in flag.evidence:
            flagged[code].append(flag.rule_code)
    answers = current.answers if current else intake.answers
    decisions = _decisions(intake)
    open_question = next(
        (d.patient_question for d in decisions
         if d.kind == "ask" and d.patient_question and d.patient_question.is_open),
        None,
    )
    return IntakeDetail(
        intake=intake,
        screening=current,
        flags=[FlagView(f, [(_label(questions, c), _value(questions.get(c), v)) for c, v in f.evidence.items()],
                        _window(f)) for f in flags],
        steps=_answers_by_step(questions, answers, flagged),
        screenings=screenings,
        bookings=_bookings(intake),
        decisions=decisions,
        open_question=open_question,
        history=([viewed] if viewed is not None else []) + _history(intake)[: HISTORY_LIMIT - (viewed is not None)],
        decided=current is not None and any(
            d.screening_id == current.pk and d.kind in FINAL_DECISION_KINDS for d in decisions),
    )


def _json(value):
    """A JSON column nested in a JSON row: already parsed on PostgreSQL, text on SQLite."""
    return json.loads(value) if isinstance(value, str) else value


def _screenings_with_flags(intake: Intake) -> list[Screening]:
    screenings = list(
        intake.screenings.order_by("-created_at", "-id").annotate(
            flag_rows=json_rows(
                Flag.objects.filter(screening_id=OuterRef("pk")), group_by="screening_id",
                id="id", rule_id="rule_id", rule_code="rule_code", rule_revision="rule_revision",
                rule_name="rule_name", severity="severity", evidence="evidence", eligible_from="eligible_from",
                staff_message="staff_message", patient_message="patient_message", error="error",
                rule_conditions="rule__conditions", rule_now_revision="rule__revision",
            )
        )
    )
    for screening in screenings:
        screening.flag_list = []
        for row in sorted(rows_of(screening.flag_rows), key=lambda r: r["id"]):
            flag = Flag(
                id=row["id"], screening=screening, rule_code=row["rule_code"], rule_revision=row["rule_revision"],
                rule_name=row["rule_name"], severity=row["severity"], evidence=_json(row["evidence"]) or {},
                eligible_from=as_date(row["eligible_from"]), staff_message=row["staff_message"],
                patient_message=row["patient_message"], error=row["error"] or "",
            )
            flag.rule = (Rule(id=row["rule_id"], conditions=_json(row["rule_conditions"]) or [],
                              revision=row["rule_now_revision"]) if row["rule_id"] else None)
            screening.flag_list.append(flag)
    return screenings


def _bookings(intake: Intake) -> list[Booking]:
    bookings = []
    for row in rows_of(intake.booking_rows):
        booking = Booking(
            id=row["id"], intake=intake, start=as_datetime(row["start"]), end=as_datetime(row["end"]),
            status=row["status"], hold_expires_at=as_datetime(row["hold_expires_at"]),
            created_at=as_datetime(row["created_at"]),
        )
        booking.practitioner = Practitioner(id=row["practitioner_id"], name=row["practitioner_name"])
        # Its time in its location's zone, named when that is not the clinic's (the page's).
        booking.zone = location_zone(row.get("location_zone"), default=intake_zone(intake))
        booking.zone_note = zone_note(booking.zone, intake_zone(intake))
        bookings.append(booking)
    return sorted(bookings, key=lambda b: (b.created_at, b.pk), reverse=True)


def _decisions(intake: Intake) -> list[IntakeDecision]:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    decisions = []
    for row in rows_of(intake.decision_rows):
        decision = IntakeDecision(
            id=row["id"], intake=intake, kind=row["kind"], note=row["note"],
            decline_reason=row["decline_reason"], decided_at=as_datetime(row["decided_at"]),
            screening_id=row["screening_id"],
        )
        decision.decided_by = user_model(id=row["decided_by_id"], **{user_model.USERNAME_FIELD: row["username"]})
        # Not ``question`` (the reverse one-to-one accessor, which would query): the row's own copy.
        decision.patient_question = None
        if row["question_id"]:
            decision.patient_question = PatientQuestion(
                id=row["question_id"], intake=intake, text=row["text"], asked_at=as_datetime(row["asked_at"]),
                answered_at=as_datetime(row["answered_at"]), reply=row["reply"] or "",
                closed_at=as_datetime(row["closed_at"]),
            )
        decisions.append(decision)
    return sorted(decisions, key=lambda d: (d.decided_at, d.pk), reverse=True)


def _history(intake: Intake) -> list[AuditEvent]:
    events = [
        AuditEvent(id=row["id"], at=as_datetime(row["at"]), actor_label=row["actor_label"], action=row["action"],
                   detail=row["detail"])
        for row in rows_of(intake.history_rows)
    ]
    return sorted(events, key=lambda e: (e.at, e.pk), reverse=True)


def _answers_by_step(questions: dict[str, Question], answers: dict, flagged: dict[str, list[str]]) -> list[StepAnswers]:
    steps: dict[int, StepAnswers] = {}
    specs = {code: q.as_spec() for code, q in questions.items()}
    for q in questions.values():
        shown = is_shown(q.code, answers, specs)
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
        return {True: "Yes", False: "No", "not_sure": "Not sure"}.get(value, str(value))
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
        operator = OPERATORS.get(condition.get("op"))
        if operator is not None and operator.has_window:
            parts.append(operator.phrase(condition.get("value")))
    if not parts and flag.eligible_from is None:
        return ""
    if rule.revision != flag.rule_revision:
        return f"not recorded for revision {flag.rule_revision} (the rule is now at revision {rule.revision})"
    return "; ".join(parts)


# --- the patient's side of a question -----------------------------------------------
