"""Every schema change migrates a populated database without loss.

Each test builds rows at the migration before a change, with the models as
they were then (historical models, from the migration graph), migrates to
the latest migrations, and checks that every row is still there and that the
new columns hold what they should. Add one with each migration that changes
a table holding data.

Transactional (migrations change the schema); the schema is put back to the
latest migrations at the end, whatever happened, and the rows are flushed
as after any transactional test.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = {
    "intake": ["Intake", "Screening", "PatientQuestion"],
    "booking": ["Booking"],
    "review": ["IntakeDecision"],
}


def _migrate(targets):
    """Migrate to ``targets``; the apps (historical models) as they stand there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_latest_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _counts(apps) -> dict[str, int]:
    return {name: apps.get_model(app, name).objects.count() for app, names in TABLES.items() for name in names}


class _Clinic:
    """Rows written with the historical models of one migration state."""

    def __init__(self, apps):
        self.apps = apps
        self.now = timezone.now()
        self.treatment = apps.get_model("core", "Treatment").objects.order_by("pk").first()
        self.clinician = apps.get_model("auth", "User").objects.create(username="migration-clinician")
        self.practitioner = apps.get_model("booking", "Practitioner").objects.create(name="Migration practitioner")
        self.slots = 0

    def model(self, app: str, name: str):
        return self.apps.get_model(app, name)

    def intake(self, name: str, outcome: str = "eligible", *, draft: bool = False):
        intake = self.model("intake", "Intake").objects.create(
            treatment=self.treatment, first_name=name, email=f"{name.lower()}@example.com",
            status="draft" if draft else "submitted", outcome="" if draft else outcome,
            submitted_at=None if draft else self.now - timedelta(days=2),
        )
        if not draft:
            self.screening(intake, outcome, reason="submit")
        return intake

    def screening(self, intake, outcome: str, *, reason: str, later: int = 0):
        return self.model("intake", "Screening").objects.create(
            intake=intake, reason=reason, on_date=self.now.date(), outcome=outcome, answers={},
            created_at=self.now - timedelta(days=2) + timedelta(hours=later),
        )

    def latest(self, intake):
        return self.model("intake", "Screening").objects.filter(intake=intake).order_by("-created_at", "-id").first()

    def decide(self, intake, kind: str, *, later: int = 1, question=None):
        return self.model("review", "IntakeDecision").objects.create(
            intake=intake, screening=self.latest(intake), kind=kind, decided_by=self.clinician,
            decided_at=self.now - timedelta(days=2) + timedelta(hours=later), question=question,
            note="Checked." if kind == "clear" else "", decline_reason="see_doctor" if kind == "decline" else "",
        )

    def ask(self, intake, *, answered: bool = False):
        question = self.model("intake", "PatientQuestion").objects.create(
            intake=intake, text="Which medicine?", answered_at=self.now if answered else None)
        self.decide(intake, "ask", question=question)
        return question

    def book(self, intake, status: str):
        self.slots += 1
        start = self.now + timedelta(days=3, hours=2 * self.slots)
        return self.model("booking", "Booking").objects.create(
            intake=intake, practitioner=self.practitioner, treatment=self.treatment, start=start,
            end=start + timedelta(hours=1), status=status, patient_email=intake.email,
            hold_expires_at=self.now + timedelta(hours=48) if status == "held" else None,
        )


def test_the_review_state_is_filled_for_the_intakes_already_there(at_latest_afterwards):
    before = [("intake", "0001_initial"), ("booking", "0002_no_overlap"), ("review", "0002_staff_roles")]
    clinic = _Clinic(_migrate(before))
    expected = {}

    expected[clinic.intake("Draft", draft=True).pk] = ""
    expected[clinic.intake("Eligible").pk] = ""
    expected[clinic.intake("Blocked", "not_suitable").pk] = ""
    expected[clinic.intake("Review", "review").pk] = "review"

    held = clinic.intake("Held")  # eligible, but a time is held
    clinic.book(held, "held")
    expected[held.pk] = "review"

    asked = clinic.intake("Asked", "review")
    clinic.book(asked, "held")
    clinic.ask(asked)
    expected[asked.pk] = "waiting"

    answered = clinic.intake("Answered", "review")
    clinic.ask(answered, answered=True)
    clinic.screening(answered, "eligible", reason="answers_updated", later=3)
    answered.outcome = "eligible"
    answered.save()
    expected[answered.pk] = ""

    cleared = clinic.intake("Cleared", "review")
    clinic.decide(cleared, "clear")
    cleared.outcome = "eligible"
    cleared.save()
    clinic.book(cleared, "confirmed")
    clinic.screening(cleared, "eligible", reason="booking", later=4)  # its date re-check, undecided
    expected[cleared.pk] = "clear"

    declined = clinic.intake("Declined", "review")
    clinic.decide(declined, "decline")
    declined.outcome = "not_suitable"
    declined.save()
    expected[declined.pk] = "decline"

    held_again = clinic.intake("Rebooked", "review")  # cleared, then a new review flag held its time
    clinic.decide(held_again, "clear")
    held_again.outcome = "eligible"
    held_again.save()
    clinic.screening(held_again, "review", reason="booking", later=4)
    clinic.book(held_again, "held")
    expected[held_again.pk] = "review"

    counts = _counts(clinic.apps)
    apps = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert _counts(apps) == counts
    states = dict(apps.get_model("intake", "Intake").objects.values_list("pk", "review_state"))
    assert states == expected
