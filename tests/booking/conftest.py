"""Fixtures for the booking tests: a calendar, intakes of every outcome, a patient's client.

Intakes are built through the ORM (submitted, with an outcome), so these
tests do not depend on the intake pages. Answers start from the engine's
clean baseline; a few overrides make each outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus, Practitioner, WeeklyHours
from screening.core.models import ClinicSettings, Treatment
from screening.intake.access import SESSION_KEY
from screening.intake.models import Intake
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.models import Outcome, Question, Rule, Step
from screening.questionnaire.seed import install_defaults
from screening.rules import answers_to_json

CLINIC_TZ = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _booking_settings(settings):
    settings.CLINIC_TIME_ZONE = "Europe/London"
    settings.BOOKING_HOLD_HOURS = 48
    settings.BOOKING_INTAKE_MAX_AGE_DAYS = 30
    settings.SITE_URL = "https://clinic.example"


def today() -> date:
    return timezone.now().astimezone(CLINIC_TZ).date()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """An aware UTC datetime for a clinic wall-clock time."""
    return datetime.combine(day, time(hour, minute), tzinfo=CLINIC_TZ).astimezone(UTC)


def slot_value(practitioner: Practitioner, start: datetime) -> str:
    return f"{practitioner.pk}|{start.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def any_value(start: datetime) -> str:
    """The picker's value for a time with any practitioner (each time is shown once)."""
    return f"any|{start.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


@pytest.fixture
def calendar(db) -> dict[str, Practitioner]:
    """The default treatments and rules, and two practitioners open every day 09:00-17:00.

    Every day, so that tests do not depend on the weekday they run on. A
    third practitioner only does scalp treatments.
    """
    install_defaults(Step=Step, Question=Question, Rule=Rule, Treatment=Treatment)
    ClinicSettings.objects.update_or_create(pk=1, defaults={"time_zone": "Europe/London"})
    all_treatments = list(Treatment.objects.all())
    people = {}
    for key, name, treatments in [
        ("anna", "Anna Baker", all_treatments),
        ("ben", "Ben Carter", all_treatments),
        ("carol", "Carol Scalp", [Treatment.objects.get(code="scalp")]),
    ]:
        practitioner = Practitioner.objects.create(name=name)
        practitioner.treatments.set(treatments)
        WeeklyHours.objects.bulk_create(
            WeeklyHours(practitioner=practitioner, weekday=d, start=time(9), end=time(17)) for d in range(7)
        )
        people[key] = practitioner
    return people


# Answers that make each outcome, on top of the clean baseline. The text
# answers are there so tests can check they never reach an email.
OUTCOME_ANSWERS: dict[str, dict] = {
    Outcome.ELIGIBLE: {},
    # Last dose 170 days ago: eligible 183 days after it, 13 days from today.
    Outcome.DEFERRED: {"isotretinoin_last_taken": -170},
    Outcome.REVIEW: {"bleeding_disorder": True, "medications": "Tranexamic acid 500mg",
                     "other_allergies": "Penicillin rash"},
    Outcome.NOT_SUITABLE: {"active_acne": True},
    Outcome.INCOMPLETE: {"bleeding_disorder": None},
}


def build_answers(overrides: dict, email: str) -> dict:
    answers = answers_to_json(baseline_answers(today()))
    answers["email"] = email
    for code, value in overrides.items():
        if isinstance(value, int) and not isinstance(value, bool):
            value = (today() + timedelta(days=value)).isoformat()  # days from today
        if value is None:
            answers.pop(code, None)
        else:
            answers[code] = value
    return answers


@pytest.fixture
def make_intake(calendar) -> Callable[..., Intake]:
    counter = iter(range(1, 10_000))

    def make(
        outcome: str = Outcome.ELIGIBLE,
        *,
        treatment: str = "face",
        email: str | None = None,
        answers: dict | None = None,
        eligible_from: date | None = None,
        submitted_days_ago: float = 0,
    ) -> Intake:
        email = email or f"patient{next(counter)}@example.com"
        overrides = {**OUTCOME_ANSWERS[outcome], **(answers or {})}
        if outcome == Outcome.DEFERRED and eligible_from is None:
            eligible_from = today() + timedelta(days=13)
        return Intake.objects.create(
            treatment=Treatment.objects.get(code=treatment),
            status=Intake.Status.SUBMITTED,
            answers=build_answers(overrides, email),
            email=email,
            first_name="Alex",
            last_name="Example",
            outcome=outcome,
            eligible_from=eligible_from,
            submitted_at=timezone.now() - timedelta(days=submitted_days_ago),
        )

    return make


def client_for(*intakes: Intake) -> Client:
    """A browser whose session has access to these intakes (as after an emailed link)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = [str(intake.public_id) for intake in intakes]
    session.save()
    return client


@pytest.fixture
def patient_client() -> Callable[..., Client]:
    return client_for


def active_bookings() -> list[Booking]:
    return list(Booking.objects.filter(status__in=[BookingStatus.HELD, BookingStatus.CONFIRMED]))
