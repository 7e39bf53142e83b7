"""Realistic intakes by the hundred thousand, for the benchmark (``manage.py seed_scale N``).

What a busy clinic chain accumulates in two years: submitted intakes of every
outcome, screened by the real rules engine with the published rules; a few
abandoned drafts; reviews decided by a clinician (cleared or declined) except
for the last few days' backlog, some of it waiting for the patient's answer or
holding a time; past and future bookings; the audit lines of those reviews.

Speed: each answer variant is screened once per treatment and day (the engine
is pure and answers differ between patients only by their contact details),
and rows go in with PostgreSQL's COPY (executemany on SQLite, for tests).
Ids are taken from the tables' own sequences, so the app's inserts that follow
never collide. A million intakes takes minutes.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from screening.audit.models import AuditEvent
from screening.booking.models import Booking, Practitioner
from screening.core.models import Treatment
from screening.intake.models import Flag, Intake, PatientQuestion, Screening
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.models import Rule
from screening.questionnaire.selectors import rule_data
from screening.review.models import IntakeDecision
from screening.rules import add_years, answers_to_json, screen_answers

DAYS = 730
# Review intakes older than this were decided by a clinician; newer ones are the backlog.
BACKLOG_DAYS = 3
DRAFT_SHARE = 0.06
BATCH = 20_000
SEED_USER = "seed-clinician"
CONTACT = ("first_name", "last_name", "email", "date_of_birth", "consent_signature")

FIRST = ["Ada", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lea", "Max", "Nia", "Oli",
         "Pia", "Quin", "Rae", "Sol", "Tia", "Uma", "Vic", "Wes", "Xia", "Yan", "Zoe"]
LAST = ["Adams", "Baker", "Chen", "Diaz", "Evans", "Fox", "Garcia", "Hughes", "Ito", "Jones", "Khan", "Lopez",
        "Murphy", "Nowak", "Okafor", "Patel", "Quinn", "Rossi", "Smith", "Tanaka", "Usman", "Varga", "Wong"]


@dataclass(frozen=True)
class Variant:
    """Answers on top of the clean baseline, as a function of the day they are screened for."""

    name: str
    weight: int
    change: Callable[[date], dict[str, Any]]
    drop: tuple[str, ...] = ()


VARIANTS = [
    Variant("clean", 52, lambda d: {}),
    Variant("clean, acne scars", 4, lambda d: {"concerns": ["acne_scars"], "medications": "Vitamin D"}),
    Variant("retinoid last week", 5, lambda d: {"retinoid_last_used": d - timedelta(days=2)}),
    Variant("peel last week", 3, lambda d: {"peel_or_laser_last_date": d - timedelta(days=5)}),
    Variant("microneedling recently", 4, lambda d: {"last_microneedling_date": d - timedelta(days=10)}),
    Variant("isotretinoin", 1, lambda d: {"isotretinoin_last_taken": d - timedelta(days=60)}),
    Variant("bleeding disorder", 3, lambda d: {"bleeding_disorder": True, "medications": "Tranexamic acid"}),
    Variant("metal allergy", 4, lambda d: {"metal_allergy": True}),
    Variant("cold sores", 4, lambda d: {"cold_sore_history": True}),
    Variant("autoimmune", 2, lambda d: {"autoimmune_condition": True}),
    Variant("diabetes", 2, lambda d: {"diabetes": "uncontrolled"}),
    Variant("metal allergy and retinoid", 1,
            lambda d: {"metal_allergy": True, "retinoid_last_used": d - timedelta(days=2)}),
    Variant("active acne", 4, lambda d: {"active_acne": True}),
    Variant("pregnant", 3, lambda d: {"pregnant_or_breastfeeding": True}),
    Variant("active infection", 2, lambda d: {"active_skin_infection": True}),
    Variant("keloids", 1, lambda d: {"keloid_history": True}),
    Variant("unanswered question", 1, lambda d: {}, drop=("immunosuppressed",)),
]
TREATMENT_SHARES = {"face": 60, "scalp": 25, "body": 15}


@dataclass
class Screened:
    """A variant screened for one treatment on one day: the answers' JSON (less contact) and the result."""

    rest_json: str
    outcome: str
    eligible_from: date | None
    missing_json: str
    flags: list[dict[str, Any]]


@dataclass
class SeedReport:
    intakes: int = 0
    drafts: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    screenings: int = 0
    flags: int = 0
    decisions: int = 0
    questions: int = 0
    bookings: int = 0
    audit_events: int = 0


# --- writing rows fast ----------------------------------------------------------------


class Writer:
    """Inserts plain rows: COPY on PostgreSQL, executemany elsewhere; ids from each table's sequence."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self._next_id: dict[str, int] = {}

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                               [table, count])
                return [row[0] for row in cursor.fetchall()]
            if table not in self._next_id:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                self._next_id[table] = cursor.fetchone()[0] + 1
        first = self._next_id[table]
        self._next_id[table] = first + count
        return list(range(first, first + count))

    def write(self, model: type[models.Model], rows: list[dict[str, Any]]) -> int:
        """``rows`` map field attnames to Python values; JSON fields may be given as ready JSON text."""
        if not rows:
            return 0
        fields = [f for f in model._meta.concrete_fields]
        columns = [f.column for f in fields]
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                out = csv.writer(buffer)
                for row in rows:
                    out.writerow([_copy_value(f, row[f.attname] if f.attname in row else _default(f))
                                  for f in fields])
                buffer.seek(0)
                quoted = ", ".join(f'"{c}"' for c in columns)
                cursor.copy_expert(f'COPY "{table}" ({quoted}) FROM STDIN WITH (FORMAT csv, NULL \'\\N\')', buffer)
            else:
                marks = ", ".join(["%s"] * len(columns))
                quoted = ", ".join(f'"{c}"' for c in columns)
                cursor.executemany(
                    f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})',
                    [[_prep_value(f, row[f.attname] if f.attname in row else _default(f)) for f in fields]
                     for row in rows],
                )
        return len(rows)


def _default(f: models.Field) -> Any:
    return None if f.null and not f.has_default() else f.get_default()


def _copy_value(f: models.Field, value: Any) -> Any:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(f, models.JSONField) and not isinstance(value, str):
        return json.dumps(value, cls=DjangoJSONEncoder)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _prep_value(f: models.Field, value: Any) -> Any:
    if isinstance(f, models.JSONField) and isinstance(value, str):
        return value
    return f.get_db_prep_save(value, connection)


# --- what to write --------------------------------------------------------------------


class Seeder:
    def __init__(self, count: int, *, seed: int = 8, now: datetime | None = None, days: int = DAYS) -> None:
        self.count = count
        self.days = days
        self.random = random.Random(seed)
        self.now = now or timezone.now()
        self.writer = Writer()
        self.questions, self.rules = rule_data()
        self.rule_ids = dict(Rule.objects.values_list("code", "id"))
        self.treatments = {t.code: t for t in Treatment.objects.filter(code__in=TREATMENT_SHARES)}
        self._screened: dict[tuple[int, str, date], Screened] = {}
        self._slots: dict[tuple[int, date], int] = {}
        self.report = SeedReport()
        self.user = self._seed_user()
        self.practitioners: list[int] = []

    def _seed_user(self):
        user, _ = get_user_model().objects.get_or_create(
            username=SEED_USER, defaults={"is_staff": True, "email": "seed-clinician@example.com"}
        )
        if user.has_usable_password():
            user.set_unusable_password()
            user.save()
        return user

    def screened(self, variant_index: int, treatment: str, day: date) -> Screened:
        key = (variant_index, treatment, day)
        found = self._screened.get(key)
        if found is None:
            variant = VARIANTS[variant_index]
            typed = {**baseline_answers(day), **variant.change(day)}
            for code in variant.drop:
                typed.pop(code, None)
            answers = answers_to_json(typed)
            result = screen_answers(answers, rules=self.rules, questions=self.questions, treatment=treatment,
                                    on_date=day)
            rest = {k: v for k, v in answers.items() if k not in CONTACT}
            found = Screened(
                rest_json=json.dumps(rest, cls=DjangoJSONEncoder)[1:-1],
                outcome=result.outcome,
                eligible_from=result.eligible_from,
                missing_json=json.dumps(list(result.missing)),
                flags=[{
                    "rule_id": self.rule_ids.get(f.rule), "rule_code": f.rule, "rule_revision": f.revision or 0,
                    "rule_name": f.name or f.rule, "severity": f.severity,
                    "evidence": json.dumps(f.evidence, cls=DjangoJSONEncoder), "eligible_from": f.eligible_from,
                    "staff_message": f.staff_message or "", "patient_message": f.patient_message or "",
                    "error": f.error or "",
                } for f in result.flags],
            )
            self._screened[key] = found
        return found

    def run(self, progress: Callable[[str], None] = lambda line: None) -> SeedReport:
        self._make_practitioners()
        done = 0
        for moments in self._batches():
            with transaction.atomic():
                self._write_batch(moments)
            done += len(moments)
            progress(f"{done:,} of {self.count:,} intakes")
        return self.report

    def _make_practitioners(self) -> None:
        """Practitioners of past bookings: inactive (no picker shows them), enough for two years of slots."""
        bookings = self.count * 0.3
        needed = max(1, math.ceil(bookings / (self.days * 6 * 0.5)))
        existing = list(Practitioner.objects.filter(name__startswith="Seeded practitioner")
                        .order_by("pk").values_list("pk", flat=True))
        for n in range(len(existing), needed):
            existing.append(Practitioner.objects.create(name=f"Seeded practitioner {n + 1:03d}", active=False).pk)
        self.practitioners = existing[:max(needed, 1)] if existing else existing
        # A second run fills the grid after what an earlier run booked, never over it.
        taken = (Booking.objects.filter(practitioner__in=self.practitioners)
                 .annotate(day=TruncDate("start", tzinfo=UTC)).values("practitioner", "day")
                 .annotate(n=Count("pk")))
        for row in taken:
            self._slots[(row["practitioner"], row["day"])] = row["n"]

    def _batches(self) -> Iterable[list[datetime]]:
        """Creation moments over the last two years (``days``), oldest first, in batches."""
        start = self.now - timedelta(days=self.days)
        span = (self.now - start).total_seconds() - 3600
        remaining = self.count
        # Spread evenly, a little noise: ids then follow time, as they do in production.
        step = span / max(self.count, 1)
        position = 0.0
        while remaining > 0:
            size = min(BATCH, remaining)
            moments = []
            for _ in range(size):
                position += step
                moments.append(start + timedelta(seconds=position + self.random.uniform(0, step)))
            remaining -= size
            yield moments

    # --- one batch ---------------------------------------------------------------------

    def _write_batch(self, moments: list[datetime]) -> None:
        rnd = self.random
        intake_ids = self.writer.ids(Intake, len(moments))
        intakes, screenings, flags, decisions, questions, bookings, events = [], [], [], [], [], [], []
        submitted = []
        for intake_id, created in zip(intake_ids, moments, strict=True):
            treatment = rnd.choices(list(TREATMENT_SHARES), weights=list(TREATMENT_SHARES.values()))[0]
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            email = f"patient{intake_id}@example.com"
            row = {
                "id": intake_id, "public_id": uuid.uuid4(), "treatment_id": self.treatments[treatment].pk,
                "email": email, "first_name": first, "last_name": last, "created_at": created,
                "updated_at": created, "questionnaire_version_id": None,
            }
            if rnd.random() < DRAFT_SHARE:
                row.update(status="draft", completed_step=rnd.randint(0, 4), outcome="", submitted_at=None,
                           answers=json.dumps({"first_name": first, "last_name": last, "email": email}))
                self.report.drafts += 1
                intakes.append(row)
                continue
            sent = created + timedelta(minutes=rnd.randint(4, 40))
            day = sent.date()
            variant = rnd.choices(range(len(VARIANTS)), weights=[v.weight for v in VARIANTS])[0]
            screened = self.screened(variant, treatment, day)
            born = add_years(day, -rnd.randint(20, 64))
            contact = json.dumps({"first_name": first, "last_name": last, "email": email,
                                  "date_of_birth": born.isoformat(), "consent_signature": f"{first} {last}"})
            answers = contact[:-1] + ", " + screened.rest_json + "}"
            row.update(status="submitted", completed_step=5, outcome=screened.outcome,
                       eligible_from=screened.eligible_from, submitted_at=sent, updated_at=sent, answers=answers)
            intakes.append(row)
            submitted.append((row, screened, answers))
        screening_ids = self.writer.ids(Screening, len(submitted))
        for (row, screened, answers), screening_id in zip(submitted, screening_ids, strict=True):
            screenings.append({
                "id": screening_id, "intake_id": row["id"], "reason": "submit", "on_date": row["submitted_at"].date(),
                "outcome": screened.outcome, "eligible_from": screened.eligible_from,
                "missing": screened.missing_json, "answers": answers, "created_at": row["submitted_at"],
            })
            flags.extend({**flag, "screening_id": screening_id} for flag in screened.flags)
            # A clinician's decision changes the intake's outcome (as the services do): before it is written.
            self._review_and_book(row, screening_id, decisions, questions, bookings, events)
        self.report.intakes += self.writer.write(Intake, intakes)
        self.report.screenings += self.writer.write(Screening, screenings)
        for flag, flag_id in zip(flags, self.writer.ids(Flag, len(flags)), strict=True):
            flag["id"] = flag_id
        self.report.flags += self.writer.write(Flag, flags)
        for decision, decision_id in zip(decisions, self.writer.ids(IntakeDecision, len(decisions)), strict=True):
            decision["id"] = decision_id
        for question in questions:
            question["decision_id"] = question.pop("_decision")["id"]
        for question, question_id in zip(questions, self.writer.ids(PatientQuestion, len(questions)), strict=True):
            question["id"] = question_id
        self.report.decisions += self.writer.write(IntakeDecision, decisions)
        self.report.questions += self.writer.write(PatientQuestion, questions)
        for booking, booking_id in zip(bookings, self.writer.ids(Booking, len(bookings)), strict=True):
            booking["id"] = booking_id
        self.report.bookings += self.writer.write(Booking, bookings)
        for event in events:
            target = event.pop("_target", None)
            if target is not None:
                event["object_id"] = str(target["id"])
        for event, event_id in zip(events, self.writer.ids(AuditEvent, len(events)), strict=True):
            event["id"] = event_id
        self.report.audit_events += self.writer.write(AuditEvent, events)
        for row, _screened, _answers in submitted:
            self.report.outcomes[row["outcome"]] = self.report.outcomes.get(row["outcome"], 0) + 1

    def _review_and_book(self, row, screening_id, decisions, questions, bookings, events) -> None:
        rnd = self.random
        sent: datetime = row["submitted_at"]
        recent = sent > self.now - timedelta(days=BACKLOG_DAYS)
        # The review state as the services leave it: a review waits for a clinician (a held time too).
        row["review_state"] = "review" if row["outcome"] == "review" else ""
        if row["outcome"] == "review":
            if not recent:
                decided = sent + timedelta(hours=rnd.randint(2, 40))
                clear = rnd.random() < 0.85
                decision = {
                    "intake_id": row["id"], "screening_id": screening_id, "kind": "clear" if clear else "decline",
                    "note": "Checked with the patient's GP: fine to go ahead." if clear else "",
                    "decline_reason": "" if clear else "see_doctor", "decided_by_id": self.user.pk,
                    "decided_at": decided,
                }
                decisions.append(decision)
                events.append(self._event(row, decided - timedelta(minutes=6), "intake_viewed", "intake", row))
                events.append(self._event(row, decided, "intake_cleared" if clear else "intake_declined",
                                          "intakedecision", decision))
                deferred = row["eligible_from"] is not None and row["eligible_from"] > decided.date()
                row["outcome"] = ("deferred" if deferred else "eligible") if clear else "not_suitable"
                row["review_state"] = decision["kind"]
            elif rnd.random() < 0.1:
                asked = sent + timedelta(hours=1)
                decision = {
                    "intake_id": row["id"], "screening_id": screening_id, "kind": "ask", "note": "",
                    "decline_reason": "", "decided_by_id": self.user.pk, "decided_at": asked,
                }
                decisions.append(decision)
                questions.append({"intake_id": row["id"], "_decision": decision, "asked_at": asked,
                                  "text": "Which medicine do you take, and since when?", "reply": ""})
                row["review_state"] = "waiting"
                events.append(self._event(row, asked, "intake_asked", "intakedecision", decision))
            elif rnd.random() < 0.3:
                self._book(row, bookings, held=True)
                return
        if row["outcome"] in ("eligible", "deferred") and rnd.random() < 0.3:
            self._book(row, bookings, held=False)

    def _event(self, row, at, action, object_type, target) -> dict:
        return {"at": at, "actor_id": self.user.pk, "actor_label": SEED_USER, "action": action,
                "object_type": object_type, "_target": target, "object_id": "", "intake_id": row["id"],
                "ip": None, "detail": ""}

    def _book(self, row, bookings, *, held: bool) -> None:
        """A booking on the seeded practitioners' grid: six 90-minute slots a day, never overlapping."""
        sent: datetime = row["submitted_at"]
        day = sent.date() + timedelta(days=self.random.randint(1, 14))
        if row["eligible_from"] and row["eligible_from"] > day:
            day = row["eligible_from"]
        treatment = next(t for t in self.treatments.values() if t.pk == row["treatment_id"])
        for _ in range(60):
            for practitioner in self.random.sample(self.practitioners, len(self.practitioners)):
                slot = self._slots.get((practitioner, day), 0)
                if slot < 6:
                    self._slots[(practitioner, day)] = slot + 1
                    start = datetime.combine(day, time(8), tzinfo=UTC) + timedelta(minutes=90 * slot)
                    end = start + timedelta(minutes=treatment.duration_minutes)
                    status = "held" if held else ("confirmed" if self.random.random() < 0.9 else "cancelled")
                    hold = min(self.now + timedelta(hours=48), start) if held else None
                    if held and start <= self.now:
                        return  # a hold on a time already past would be expired: leave it out
                    bookings.append({
                        "intake_id": row["id"], "practitioner_id": practitioner, "treatment_id": treatment.pk,
                        "start": start, "end": end, "status": status, "hold_expires_at": hold,
                        "patient_email": row["email"], "moved_to_id": None, "created_at": sent,
                        "updated_at": sent, "ended_at": start if status == "cancelled" else None,
                    })
                    return
            day += timedelta(days=1)
