"""seed_scale: realistic intakes in bulk, consistent with what the services would have written."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from bench.management.commands import seed_scale
from bench.seed import Seeder
from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking
from screening.intake.models import Flag, Intake, PatientQuestion, Screening
from screening.intake.review import review_state_now
from screening.review.models import IntakeDecision
from tests.staff.conftest import staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    # Ten days instead of two years, so that a few hundred intakes hold a review backlog too.
    return Seeder(400, days=10).run()


def test_it_creates_every_outcome_and_some_drafts(seeded):
    outcomes = dict(Intake.objects.values_list("outcome").annotate(n=Count("id")))
    assert {"eligible", "deferred", "review", "not_suitable", "incomplete"} <= set(outcomes)
    assert Intake.objects.filter(status="draft").exists()
    assert Intake.objects.count() == 400 == seeded.intakes


def test_every_submitted_intake_has_its_screening_and_flags_as_the_engine_gave_them(seeded):
    submitted = Intake.objects.filter(status="submitted")
    assert Screening.objects.count() == submitted.count()
    flagged = Screening.objects.exclude(outcome="eligible").exclude(outcome="incomplete")
    assert not flagged.annotate(n=Count("flags")).filter(n=0).exists()
    assert Flag.objects.filter(rule__isnull=True).count() == 0


def test_decided_reviews_no_longer_read_review_and_the_backlog_does(seeded):
    decided = IntakeDecision.objects.filter(kind__in=["clear", "decline"]).values("intake_id")
    assert decided.exists()
    assert not Intake.objects.filter(pk__in=decided, outcome="review").exists()
    assert Intake.objects.filter(outcome="review").exclude(pk__in=decided).exists()


def test_bookings_never_overlap_and_held_ones_wait_for_review(seeded):
    active = list(Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES).order_by("practitioner", "start"))
    assert active
    for one, two in zip(active, active[1:]):
        assert one.practitioner_id != two.practitioner_id or one.end <= two.start
    assert all(b.intake.outcome == "review" for b in Booking.objects.filter(status="held"))
    assert PatientQuestion.objects.filter(answered_at__isnull=True).count() <= 400


def test_the_seeded_review_states_are_what_the_facts_give(seeded):
    for intake in Intake.objects.filter(status="submitted"):
        stored, computed = review_state_now(intake)
        assert stored == computed, intake.pk
    assert {"review", "clear", "decline"} <= set(Intake.objects.values_list("review_state", flat=True))


def test_the_staff_pages_read_seeded_data(seeded, personas):
    client = staff_client(personas.front_desk)
    assert client.get(reverse("staff:queue")).status_code == 200
    intake = Intake.objects.filter(decisions__isnull=False).first()
    assert client.get(reverse("staff:intake", args=[intake.public_id])).status_code == 200


def test_the_command_adds_to_what_is_there(db, capsys):
    call_command(seed_scale.Command(), "30")
    call_command(seed_scale.Command(), "20", "--seed", "9")
    assert Intake.objects.count() == 50
    assert "Added 20 intakes" in capsys.readouterr().out
