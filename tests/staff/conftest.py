"""Personas for the staff tests, built once per test: three staff roles, a
second clinician, an outsider with an account but no role, and two patients
(A and B) with submitted intakes that need review, A holding a time.

Intakes go through the real submit service, so each has a Screening with
its Flags as in production; bookings are written directly (these tests are
about review, not about the slot picker), and the intake's review state set
from them as the booking services would (``settle_review_state``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.core.models import Treatment
from screening.intake import access
from screening.intake.models import Intake, ReviewState, Screening
from screening.intake.review import intake_review_state_refresh
from screening.intake.services import intake_submit
from screening.questionnaire.defaults import baseline_answers
from screening.review.permissions import (
    CLINIC_ADMIN,
    CLINICIAN,
    FRONT_DESK,
    needs_second_factor,
    roles_install,
)
from screening.rules import answers_to_json
from tests.conftest import run_pending_on_commit

PASSWORD = "correct horse battery staple"

# Answers on top of the clean baseline that make each kind of intake.
REVIEW = {"bleeding_disorder": True, "medications": "Tranexamic acid 500mg"}
NOT_SUITABLE = {"active_acne": True}
ELIGIBLE: dict = {}


def make_staff(username: str, role: str | None, *, superuser: bool = False) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@clinic.example", password=PASSWORD,
                                    is_staff=True, is_superuser=superuser)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_intake(*, email: str, first_name: str, last_name: str = "Example", answers: dict | None = None,
                treatment: str = "face") -> Intake:
    """A submitted intake, screened by the real submit service."""
    today = timezone.localdate()
    data = answers_to_json(baseline_answers(today))
    data.update(email=email, first_name=first_name, last_name=last_name,
                consent_signature=f"{first_name} {last_name}", **(answers or {}))
    intake = Intake.objects.create(
        treatment=Treatment.objects.get(code=treatment), answers=data, completed_step=5,
        email=email, first_name=first_name, last_name=last_name,
    )
    return intake_submit(intake=intake)


def hold_time(intake: Intake, *, practitioner: Practitioner, start: datetime | None = None,
              hold_hours: int = 48) -> Booking:
    now = timezone.now()
    start = start or (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    booking = Booking.objects.create(
        intake=intake, practitioner=practitioner, treatment=intake.treatment, start=start,
        end=start + timedelta(minutes=intake.treatment.duration_minutes), status=BookingStatus.HELD,
        hold_expires_at=now + timedelta(hours=hold_hours), patient_email=intake.email.lower(),
    )
    settle_review_state(intake)
    return booking


def settle_review_state(*intakes: Intake) -> None:
    """After writing bookings or outcomes directly: the review state the services would have left."""
    for intake in intakes:
        intake_review_state_refresh(intake)


def patient_client(*intakes: Intake) -> Client:
    """A browser whose session has been granted these intakes, as an emailed link does."""
    session = SessionStore()
    session[access.SESSION_KEY] = [str(i.public_id) for i in intakes]
    session.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


@pytest.fixture(autouse=True)
def _second_factor_on(_second_factor_off_by_default, settings):
    """The staff pages run as in production: clinicians and clinic admins need their code."""
    settings.STAFF_REQUIRE_2FA = True


def staff_client(user: User) -> Client:
    """Signed in as ``user``; past the second factor too, for the roles that need one."""
    client = Client()
    client.force_login(user)
    if needs_second_factor(user):
        verify_second_factor(client, user)
    return client


def verify_second_factor(client: Client, user: User) -> TOTPDevice:
    """Give the client's session what an accepted code gives it (as django_otp.login does)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def latest_screening(intake: Intake) -> Screening:
    return intake.screenings.order_by("-created_at", "-id").first()


@dataclass
class Personas:
    front_desk: User
    clinician: User
    clinician2: User
    clinic_admin: User
    outsider: User
    practitioner: Practitioner
    intake_a: Intake
    intake_b: Intake
    booking_a: Booking


@pytest.fixture
def personas(db) -> Personas:
    roles_install()  # a no-op after the migration; puts the roles back after a flush
    practitioner = Practitioner.objects.create(name="Anna Baker")
    practitioner.treatments.set(Treatment.objects.all())
    intake_a = make_intake(email="ada@example.com", first_name="Ada", last_name="Lovelace", answers=REVIEW)
    intake_b = make_intake(email="bo@example.com", first_name="Bo", last_name="Diddley", answers=REVIEW)
    personas = Personas(
        front_desk=make_staff("frank", FRONT_DESK),
        clinician=make_staff("clara", CLINICIAN),
        clinician2=make_staff("carl", CLINICIAN),
        clinic_admin=make_staff("adele", CLINIC_ADMIN),
        outsider=make_staff("otto", None),
        practitioner=practitioner,
        intake_a=intake_a,
        intake_b=intake_b,
        booking_a=hold_time(intake_a, practitioner=practitioner),
    )
    # Send the submission receipts now, so each test's outbox holds only its own emails.
    run_pending_on_commit()
    mail.outbox.clear()
    return personas


def bulk_intakes(count: int, *, practitioner: Practitioner, prefix: str = "bulk", held_every: int = 3) -> list[Intake]:
    """``count`` submitted review intakes with a flag each, every ``held_every``-th holding a time.

    Written in bulk (a handful of queries), for the tests that show the
    staff pages cost the same number of queries for 10 intakes as for 200.
    """
    from screening.intake.models import Flag
    from screening.questionnaire.models import Rule

    now = timezone.now()
    treatment = Treatment.objects.get(code="face")
    rule = Rule.objects.get(code="BLEEDING_DISORDER")
    intakes = Intake.objects.bulk_create([
        Intake(treatment=treatment, status=Intake.Status.SUBMITTED, answers={"bleeding_disorder": True},
               email=f"{prefix}{n}@example.com", first_name=f"{prefix.title()}{n}", last_name="Patient",
               outcome="review", review_state=ReviewState.NEEDS_REVIEW, submitted_at=now - timedelta(minutes=n),
               completed_step=5)
        for n in range(count)
    ])
    intakes = list(Intake.objects.filter(email__startswith=prefix).order_by("pk"))
    Screening.objects.bulk_create([
        Screening(intake=i, reason=Screening.Reason.SUBMIT, on_date=now.date(), outcome="review",
                  answers={"bleeding_disorder": True})
        for i in intakes
    ])
    screenings = Screening.objects.filter(intake__in=intakes)
    Flag.objects.bulk_create([
        Flag(screening=s, rule=rule, rule_code=rule.code, rule_revision=rule.revision, rule_name=rule.name,
             severity="review", evidence={"bleeding_disorder": True}, staff_message=rule.staff_message,
             patient_message=rule.patient_message)
        for s in screenings
    ])
    # After the practitioner's last booking, so that calls can be repeated.
    last = Booking.objects.filter(practitioner=practitioner).order_by("-end").values_list("end", flat=True).first()
    first = last or (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    Booking.objects.bulk_create([
        Booking(intake=i, practitioner=practitioner, treatment=treatment, start=first + timedelta(hours=2 * n),
                end=first + timedelta(hours=2 * n + 1), status=BookingStatus.HELD,
                hold_expires_at=now + timedelta(hours=48), patient_email=i.email)
        for n, i in enumerate(intakes) if n % held_every == 0
    ])
    return intakes
