"""The plain-language rule editor: a clinic admin, an intake that a longer isotretinoin window reaches, and its
upcoming bookings (one confirmed, one held)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.questionnaire.models import Rule
from screening.review.permissions import CLINIC_ADMIN, FRONT_DESK
from screening.setup.demo import seed_calendar
from tests.staff.conftest import make_intake, make_staff, settle_review_state, staff_client

EIGHT_MONTHS = 243


def last_taken(days_ago: int) -> dict:
    return {"isotretinoin_last_taken": (timezone.localdate() - timedelta(days=days_ago)).isoformat()}


def book(intake, *, days: int, status: str = BookingStatus.CONFIRMED) -> Booking:
    practitioner = Practitioner.objects.order_by("pk").first()
    start = (timezone.now() + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
    booking = Booking.objects.create(
        intake=intake, practitioner=practitioner, treatment=intake.treatment, start=start,
        end=start + timedelta(minutes=intake.treatment.duration_minutes), status=status,
        hold_expires_at=timezone.now() + timedelta(hours=48) if status == BookingStatus.HELD else None,
        patient_email=intake.email,
    )
    settle_review_state(intake)
    return booking


@pytest.fixture
def isotretinoin() -> Rule:
    return Rule.objects.get(code="ISOTRETINOIN")


@pytest.fixture
def admin(db):
    return make_staff("adele", CLINIC_ADMIN)


@pytest.fixture
def admin_client(admin):
    return staff_client(admin)


@pytest.fixture
def desk(db):
    return make_staff("desk", FRONT_DESK)


@pytest.fixture
def reached(db):
    """Two patients who took isotretinoin eight months ago (fine under 6 months, not under 12), booked."""
    seed_calendar()
    pat = make_intake(email="pat@example.com", first_name="Pat", answers=last_taken(EIGHT_MONTHS))
    sam = make_intake(email="sam@example.com", first_name="Sam", answers=last_taken(EIGHT_MONTHS))
    clean = make_intake(email="cleo@example.com", first_name="Cleo")
    return {"confirmed": book(pat, days=10), "held": book(sam, days=12, status=BookingStatus.HELD),
            "clean": book(clean, days=11)}
