"""The day view (issue 19): today's and tomorrow's appointments per practitioner, flags in words, the clinicians'
notes; its read recorded in the audit trail (intake ids only)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from screening.audit.log import Actor
from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import Booking, BookingStatus, Practitioner
from screening.core.clinic import clinic_zone
from screening.core.models import Treatment
from screening.review.services import intake_clear
from tests.staff.conftest import latest_screening, make_intake, staff_client

pytestmark = pytest.mark.django_db


def at(days: int, hour: int) -> datetime:
    day = timezone.now().astimezone(clinic_zone()).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=clinic_zone()).astimezone(UTC)


def confirmed(intake, practitioner, start) -> Booking:
    return Booking.objects.create(intake=intake, practitioner=practitioner, treatment=intake.treatment, start=start,
                                  end=start + timedelta(hours=1), status=BookingStatus.CONFIRMED,
                                  patient_email=intake.email)


@pytest.fixture
def two_days(personas):
    other = Practitioner.objects.create(name="Ben Carter")
    other.treatments.set(Treatment.objects.all())
    intake_clear(intake_id=personas.intake_b.pk, screening_id=latest_screening(personas.intake_b).pk,
                 by=Actor.staff(personas.clinician), note="Bleeding disorder mild; pressure after.",
                 patient_instructions="No aspirin for a week before.")
    eve = make_intake(email="eve@example.com", first_name="Eve", last_name="Early")
    far = make_intake(email="far@example.com", first_name="Far", last_name="Later")
    # Ada's held time (personas: a day from now, on the hour) at a fixed hour tomorrow, clear of Eve's at 15:00
    # whatever the time of day the tests run.
    Booking.objects.filter(pk=personas.booking_a.pk).update(start=at(1, 9), end=at(1, 10))
    confirmed(personas.intake_b, personas.practitioner, at(0, 10))
    confirmed(eve, personas.practitioner, at(1, 15))
    confirmed(far, personas.practitioner, at(3, 9))  # not today or tomorrow
    ben = make_intake(email="bea@example.com", first_name="Bea", last_name="Other")
    confirmed(ben, other, at(1, 11))
    return personas, other


def test_the_day_view_lists_today_and_tomorrow_for_a_practitioner_with_flags_and_notes(two_days):
    personas, other = two_days
    client = staff_client(personas.front_desk)
    page = client.get(reverse("staff:day"), {"practitioner": personas.practitioner.pk}).content.decode()
    assert "Bo Diddley" in page and "Eve Early" in page
    assert "Far Later" not in page and "Bea Other" not in page  # another day, another practitioner
    flag_name = latest_screening(personas.intake_b).flags.get(rule_code="BLEEDING_DISORDER").rule_name
    assert flag_name in page and ">BLEEDING_DISORDER<" not in page
    assert "Bleeding disorder mild; pressure after." in page  # the clinician's note
    assert "No aspirin for a week before." in page
    assert page.index("Bo Diddley") < page.index("Eve Early")
    everyone = client.get(reverse("staff:day")).content.decode()
    assert "Bea Other" in everyone


def test_reading_the_day_view_is_audited_with_the_intake_ids_only(two_days):
    personas, _ = two_days
    staff_client(personas.clinician).get(reverse("staff:day"), {"practitioner": personas.practitioner.pk})
    event = AuditEvent.objects.filter(action=AuditAction.RECORDS_LISTED).latest("at")
    assert event.actor_label == personas.clinician.username
    shown = Booking.objects.filter(practitioner=personas.practitioner, start__lt=at(2, 0)).order_by("start", "pk")
    assert event.detail == "day view: intakes " + ",".join(str(b.intake_id) for b in shown)
    assert len(shown) == 3  # Bo today; Ada (held) and Eve tomorrow


def test_the_day_view_costs_the_same_queries_for_more_appointments(two_days, django_assert_max_num_queries):
    personas, _ = two_days
    client = staff_client(personas.front_desk)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("staff:day"))  # the setup's emails go out on this first request's commit
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("staff:day"))
    count = len(few.captured_queries)
    assert count <= 14  # sign-in, permissions, the zone (twice), practitioners, four reads, audit
    for n in range(6):
        intake = make_intake(email=f"more{n}@example.com", first_name=f"More{n}")
        extra = Practitioner.objects.create(name=f"Extra {n}")  # no overlap per practitioner (PostgreSQL)
        confirmed(intake, extra, at(1, 9))
    client.get(reverse("staff:day"))
    with django_assert_max_num_queries(count):
        client.get(reverse("staff:day"))


def test_a_bad_practitioner_shows_everyone(two_days):
    personas, _ = two_days
    for bad in ("x", "99999999999999", "-1"):
        assert staff_client(personas.front_desk).get(reverse("staff:day"), {"practitioner": bad}).status_code == 200


def test_with_two_locations_the_day_view_and_the_bookings_list_filter_by_location(two_days):
    from screening.core.models import Location

    personas, other = two_days
    client = staff_client(personas.front_desk)
    # One location (the clinic's own): no location filter is offered.
    assert 'name="location"' not in client.get(reverse("staff:day")).content.decode()
    north = Location.objects.create(name="North Street", address="1 North Street")
    other.location = north
    other.save(update_fields=["location"])
    day = client.get(reverse("staff:day"), {"location": north.pk})
    assert [a.booking.intake.first_name for _, appts in day.context["sheet"].days for a in appts] == ["Bea"]
    assert [p.name for p in day.context["sheet"].practitioners] == ["Ben Carter"]
    assert 'name="location"' in day.content.decode()
    listed = client.get(reverse("staff:bookings"), {"location": north.pk})
    assert [b.intake.first_name for b in listed.context["bookings"]] == ["Bea"]
    assert listed.context["location"] == north
    # Every location, or an id that is not one: everyone's appointments, never an error.
    for value in ("", "999999", "x", "1" * 30):
        everyone = client.get(reverse("staff:bookings"), {"location": value})
        assert everyone.status_code == 200 and len(everyone.context["bookings"]) >= 4
        assert client.get(reverse("staff:day"), {"location": value}).status_code == 200
