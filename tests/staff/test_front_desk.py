"""The front desk books, moves and cancels for a patient through the patients' own booking services (issue 19),
and cancels bookings that no longer match their screening, telling the patient kindly."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import Booking, BookingStatus, WeeklyHours
from screening.booking.services import booking_create
from screening.core.clinic import clinic_zone
from screening.intake.models import Screening
from screening.outbox.models import Message
from screening.review.mismatched import mismatched_bookings
from tests.conftest import run_pending_on_commit
from tests.staff.conftest import ELIGIBLE, NOT_SUITABLE, latest_screening, make_intake, staff_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_every_day(personas):
    WeeklyHours.objects.bulk_create(WeeklyHours(practitioner=personas.practitioner, weekday=d, start=time(9),
                                                end=time(17)) for d in range(7))
    return personas


def at(days: int, hour: int) -> datetime:
    day = timezone.now().astimezone(clinic_zone()).date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=clinic_zone()).astimezone(UTC)


def slot(personas, start: datetime) -> str:
    return f"{personas.practitioner.pk}|{start.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def test_the_front_desk_books_for_a_patient_whose_screening_allows_it(open_every_day):
    personas = open_every_day
    eve = make_intake(email="eve@example.com", first_name="Eve", answers=ELIGIBLE)
    client = staff_client(personas.front_desk)
    page = client.get(reverse("staff:book_for_patient", args=[eve.public_id]))
    assert page.status_code == 200 and "Book this time" in page.content.decode()
    response = client.post(reverse("staff:book_for_patient", args=[eve.public_id]), {"slot": slot(personas, at(3, 10))})
    assert response.status_code == 302
    booking = Booking.objects.get(intake=eve)
    assert booking.status == BookingStatus.CONFIRMED and booking.start == at(3, 10)
    # Recorded as done by the front desk, and the patient hears as if they had booked online.
    assert AuditEvent.objects.filter(action=AuditAction.BOOKING_CREATED, intake_id=eve.pk,
                                     actor_label=personas.front_desk.username).exists()
    run_pending_on_commit()
    assert mail.outbox[-1].to == ["eve@example.com"] and "confirmed" in mail.outbox[-1].subject


def test_the_front_desk_is_refused_with_the_reason_when_the_screening_does_not_allow_it(open_every_day):
    personas = open_every_day
    nat = make_intake(email="nat@example.com", first_name="Nat", answers=NOT_SUITABLE)
    client = staff_client(personas.front_desk)
    page = client.get(reverse("staff:book_for_patient", args=[nat.public_id])).content.decode()
    assert "cannot be booked now" in page and "We cannot book this treatment for you online" in page
    response = client.post(reverse("staff:book_for_patient", args=[nat.public_id]),
                           {"slot": slot(personas, at(3, 10))})
    assert response.status_code == 409
    assert "We cannot book this treatment for you online" in response.content.decode()
    assert not Booking.objects.filter(intake=nat).exists()


def test_the_front_desk_cannot_clear_a_flag_but_can_hold_a_time_for_review(open_every_day):
    personas = open_every_day
    client = staff_client(personas.front_desk)
    screening = latest_screening(personas.intake_b)
    assert client.post(reverse("staff:intake_clear", args=[personas.intake_b.public_id]),
                       {"screening_id": screening.pk, "note": "fine"}).status_code == 403
    response = client.post(reverse("staff:book_for_patient", args=[personas.intake_b.public_id]),
                           {"slot": slot(personas, at(4, 11))})
    assert response.status_code == 302
    assert Booking.objects.get(intake=personas.intake_b).status == BookingStatus.HELD  # a clinician still decides
    # A hold inside the clinic's minimum notice is refused with the reason, for staff as for patients.
    ada_soon = client.post(reverse("staff:book_for_patient", args=[personas.intake_a.public_id]),
                           {"slot": slot(personas, timezone.now().replace(minute=0, second=0, microsecond=0)
                                         + timedelta(hours=3))})
    assert ada_soon.status_code == 409


def test_the_front_desk_moves_and_cancels_for_the_patient(open_every_day):
    personas = open_every_day
    eve = make_intake(email="eve@example.com", first_name="Eve", answers=ELIGIBLE)
    client = staff_client(personas.front_desk)
    client.post(reverse("staff:book_for_patient", args=[eve.public_id]), {"slot": slot(personas, at(3, 10))})
    detail = client.get(reverse("staff:intake", args=[eve.public_id])).content.decode()
    assert "Move for the patient" in detail and "Cancel for the patient" in detail
    assert client.post(reverse("staff:book_for_patient", args=[eve.public_id]),
                       {"slot": slot(personas, at(5, 14))}).status_code == 302
    assert Booking.objects.get(intake=eve, status=BookingStatus.CONFIRMED).start == at(5, 14)
    assert client.post(reverse("staff:cancel_for_patient", args=[eve.public_id])).status_code == 302
    assert not Booking.objects.filter(intake=eve, status__in=["held", "confirmed"]).exists()
    assert AuditEvent.objects.filter(action=AuditAction.BOOKING_CHANGED, intake_id=eve.pk,
                                     actor_label=personas.front_desk.username, detail="status: cancelled").exists()


def test_the_mismatched_list_finds_a_booking_made_before_a_re_screen_and_cancels_it_kindly(open_every_day):
    personas = open_every_day
    eve = make_intake(email="eve@example.com", first_name="Eve", answers=ELIGIBLE)
    fine = make_intake(email="fay@example.com", first_name="Fay", answers=ELIGIBLE)
    booking = booking_create(intake=eve, practitioner_id=personas.practitioner.pk, start=at(3, 10))
    booking_create(intake=fine, practitioner_id=personas.practitioner.pk, start=at(3, 12))
    assert mismatched_bookings() == []
    # Later, Eve's answers are screened again (a clinician's re-screen): not suitable now.
    Screening.objects.create(intake=eve, reason=Screening.Reason.RESCREEN, outcome="not_suitable",
                             on_date=timezone.localdate(), answers=eve.answers)
    [row] = mismatched_bookings()
    assert row.booking == booking and "not suitable" in row.reason
    client = staff_client(personas.front_desk)
    page = client.get(reverse("staff:mismatched")).content.decode()
    assert "Eve" in page and "Fay" not in page
    mail.outbox.clear()
    assert client.post(reverse("staff:mismatched_cancel", args=[booking.pk])).status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    run_pending_on_commit()
    [email] = [m for m in mail.outbox if m.to == ["eve@example.com"]]
    assert email.subject.startswith("About your appointment") and "This is not something you did wrong" in email.body
    assert "not suitable" not in email.body.lower()  # no health detail: the link tells the rest
    assert Message.objects.filter(booking_id=booking.pk).exists()
    # A booking that matches its screening is not cancelled this way.
    other = Booking.objects.get(intake=fine)
    client.post(reverse("staff:mismatched_cancel", args=[other.pk]))
    other.refresh_from_db()
    assert other.status == BookingStatus.CONFIRMED


def test_a_booking_deferred_past_its_date_is_listed(open_every_day):
    personas = open_every_day
    eve = make_intake(email="eve@example.com", first_name="Eve", answers=ELIGIBLE)
    booking_create(intake=eve, practitioner_id=personas.practitioner.pk, start=at(3, 10))
    Screening.objects.create(intake=eve, reason=Screening.Reason.RESCREEN, outcome="deferred",
                             eligible_from=timezone.localdate() + timedelta(days=20),
                             on_date=timezone.localdate(), answers=eve.answers)
    [row] = mismatched_bookings()
    assert "only from" in row.reason


def test_the_front_desk_corrects_a_patients_email_and_the_old_links_stop_working(open_every_day):
    from screening.intake.links import link_issue, link_lookup
    from screening.intake.models import AccessLink

    personas = open_every_day
    eve = make_intake(email="eve@exampel.com", first_name="Eve", answers=ELIGIBLE)
    old = link_issue(intake=eve, purpose=AccessLink.Purpose.RESUME, days=7)
    booking = booking_create(intake=eve, practitioner_id=personas.practitioner.pk, start=at(3, 10))
    client = staff_client(personas.front_desk)
    bad = client.post(reverse("staff:correct_email", args=[eve.public_id]), {"email": "not an address"}, follow=True)
    assert "Please enter an email address" in bad.content.decode()
    response = client.post(reverse("staff:correct_email", args=[eve.public_id]), {"email": "eve@example.com"})
    assert response.status_code == 302
    eve.refresh_from_db()
    booking.refresh_from_db()
    assert eve.email == "eve@example.com" and eve.answers["email"] == "eve@example.com"
    assert booking.patient_email == "eve@example.com"
    assert link_lookup(old).revoked_at is not None  # the link sent to the wrong address no longer works
    event = AuditEvent.objects.get(action=AuditAction.EMAIL_CORRECTED, intake_id=eve.pk)
    assert event.actor_label == personas.front_desk.username
    assert "exampel" not in event.detail and "example" not in event.detail
    # What is sent from now on goes to the new address.
    mail.outbox.clear()
    client.post(reverse("staff:book_for_patient", args=[eve.public_id]), {"slot": slot(personas, at(5, 14))})
    run_pending_on_commit()
    assert mail.outbox and all(m.to == ["eve@example.com"] for m in mail.outbox)
