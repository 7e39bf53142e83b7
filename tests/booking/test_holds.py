"""Provisional holds: review -> held -> confirmed, released, or expired and free again."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from screening.booking.errors import BookingError
from screening.booking.models import Booking, BookingStatus
from screening.booking.services import (
    booking_confirm_held,
    booking_create,
    booking_release_held,
    bookings_expire_holds,
)
from screening.questionnaire.models import Outcome
from tests.booking.conftest import CLINIC_TZ, active_bookings, at, client_for, slot_value, today
from tests.conftest import run_pending_on_commit

pytestmark = pytest.mark.django_db

def start_in(days: int, hour: int = 10):
    return at(today() + timedelta(days=days), hour)


@pytest.fixture
def held(make_intake, calendar) -> Booking:
    intake = make_intake(Outcome.REVIEW)
    booking = booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=start_in(5))
    assert booking.status == BookingStatus.HELD
    return booking


def expire(booking: Booking) -> None:
    """Let the hold run out, as if 48 hours had passed."""
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))


def test_a_cleared_intakes_hold_becomes_a_confirmed_appointment(held):
    booking = booking_confirm_held(booking_id=held.pk)
    run_pending_on_commit()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.hold_expires_at is None
    assert mail.outbox[-1].subject.startswith("Your appointment is confirmed")
    assert mail.outbox[-1].attachments[0][0] == "appointment.ics"


def test_a_declined_intakes_hold_is_released_and_the_time_is_free(held, make_intake, calendar):
    booking = booking_release_held(booking_id=held.pk)
    assert booking.status == BookingStatus.RELEASED
    other = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=held.start)
    assert other.status == BookingStatus.CONFIRMED


def test_only_a_held_booking_can_be_confirmed_or_released(held):
    booking_release_held(booking_id=held.pk)
    for hook in (booking_confirm_held, booking_release_held):
        with pytest.raises(BookingError) as caught:
            hook(booking_id=held.pk)
        assert caught.value.code == "not_held"


def test_release_without_notice_sends_no_email(held):
    run_pending_on_commit()  # the hold's own notice
    mail.outbox.clear()
    booking_release_held(booking_id=held.pk, notify=False)
    run_pending_on_commit()
    assert mail.outbox == []


def test_an_expired_hold_cannot_be_confirmed(held):
    expire(held)
    with pytest.raises(BookingError) as caught:
        booking_confirm_held(booking_id=held.pk)
    assert caught.value.code == "hold_expired"
    held.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED


def test_the_expire_holds_command_releases_expired_holds_only(held, make_intake, calendar):
    running = booking_create(intake=make_intake(Outcome.REVIEW), practitioner_id=calendar["ben"].pk,
                             start=start_in(5))
    expire(held)
    out = StringIO()
    call_command("expire_holds", stdout=out)
    run_pending_on_commit()
    assert "1 hold expired" in out.getvalue()
    held.refresh_from_db()
    running.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED and held.ended_at
    assert running.status == BookingStatus.HELD
    assert mail.outbox[-1].subject == "Your provisional appointment time has been released"
    assert bookings_expire_holds() == 0
    # Expired, the time is bookable by another patient.
    other = booking_create(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=held.start)
    assert other.status == BookingStatus.CONFIRMED


def test_the_slot_picker_offers_an_expired_hold_before_any_cron_run(held, make_intake, calendar):
    value = slot_value(calendar["anna"], held.start)
    intake = make_intake()
    client = client_for(intake)
    url = (reverse("booking:book", args=[intake.public_id]) + f"?from={held.start.astimezone(CLINIC_TZ).date()}"
           + f"&practitioner={calendar['anna'].pk}")
    assert value not in client.get(url).content.decode()
    expire(held)
    assert value in client.get(url).content.decode()
    # And booking it expires the old hold on the way.
    response = client.post(url, {"slot": value})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED
    assert [b.intake_id for b in active_bookings()] == [intake.pk]


def test_a_patient_whose_hold_ran_out_can_hold_a_new_time_without_waiting_for_cron(held, calendar):
    expire(held)
    client = client_for(held.intake)
    assert client.get(reverse("booking:booking", args=[held.intake.public_id])).context["booking"] is None
    picker = client.get(reverse("booking:book", args=[held.intake.public_id]))
    assert picker.status_code == 200
    again = booking_create(intake=held.intake, practitioner_id=calendar["ben"].pk, start=start_in(6))
    assert again.status == BookingStatus.HELD
    held.refresh_from_db()
    assert held.status == BookingStatus.EXPIRED


def test_a_hold_expired_on_another_patients_booking_is_audited_as_the_system(held, make_intake, calendar):
    from screening.audit.models import AuditAction, AuditEvent

    value = slot_value(calendar["anna"], held.start)
    intake = make_intake()
    expire(held)
    url = (reverse("booking:book", args=[intake.public_id]) + f"?from={held.start.astimezone(CLINIC_TZ).date()}"
           + f"&practitioner={calendar['anna'].pk}")
    assert client_for(intake).post(url, {"slot": value}).status_code == 302
    expired = AuditEvent.objects.get(action=AuditAction.BOOKING_CHANGED, object_id=str(held.pk))
    made = AuditEvent.objects.filter(action=AuditAction.BOOKING_CREATED, intake_id=intake.pk).get()
    assert (expired.actor_label, expired.detail) == ("system", "status: expired")
    assert made.actor_label == "patient"
