"""Staff mark a session done or missed from the bookings page; done sessions count the course."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from screening.audit.log import Actor
from screening.audit.models import AuditAction, AuditEvent
from screening.booking.models import Booking, BookingStatus
from screening.booking.timers import timers_plan
from screening.core.clinic import clinic_zone
from screening.courses.sessions import SessionError, session_mark, sessions_done
from tests.conftest import run_pending_on_commit
from tests.staff.conftest import make_intake, staff_client

pytestmark = pytest.mark.django_db


def _confirmed(intake, practitioner, start: datetime) -> Booking:
    return Booking.objects.create(
        intake=intake, practitioner=practitioner, treatment=intake.treatment, start=start,
        end=start + timedelta(hours=1), status=BookingStatus.CONFIRMED, patient_email=intake.email.lower())


@pytest.fixture
def morning():
    """10:00 clinic time on a Tuesday; the session at 11:00 the same day."""
    at = datetime(2027, 3, 9, 10, 0, tzinfo=clinic_zone())
    with time_machine.travel(at, tick=False):
        yield at


def test_the_front_desk_marks_todays_session_done_and_the_course_counts_it(personas, morning):
    intake = make_intake(email="ann@example.com", first_name="Ann")
    booking = _confirmed(intake, personas.practitioner, morning + timedelta(hours=1))
    client = staff_client(personas.front_desk)

    page = client.get(reverse("staff:bookings")).content.decode()
    assert reverse("staff:session_mark", args=[booking.pk]) in page
    response = client.post(reverse("staff:session_mark", args=[booking.pk]), {"status": "completed"}, follow=True)

    assert "Ann Example: session done." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and booking.ended_at == timezone.now()
    assert sessions_done(patient_id=intake.patient_id) == 1
    event = AuditEvent.objects.get(action=AuditAction.BOOKING_CHANGED, object_id=str(booking.pk))
    assert event.detail == "status: completed" and event.actor_id == personas.front_desk.pk
    # The marked session stays on today's list with its mark, and no buttons.
    page = client.get(reverse("staff:bookings")).content.decode()
    assert "Session done" in page and reverse("staff:session_mark", args=[booking.pk]) not in page


def test_marking_a_session_goes_back_to_the_page_and_location_it_was_marked_on(personas, morning):
    intake = make_intake(email="ann@example.com", first_name="Ann")
    booking = _confirmed(intake, personas.practitioner, morning + timedelta(hours=1))
    client = staff_client(personas.front_desk)
    page = client.get(reverse("staff:bookings")).content.decode()
    assert 'name="page" value="1"' in page  # the form says which page it is on
    response = client.post(reverse("staff:session_mark", args=[booking.pk]),
                           {"status": "completed", "page": "2", "location": "7"})
    assert response.status_code == 302 and response["Location"] == reverse("staff:bookings") + "?location=7&page=2"
    # Anything but a number is left out, never echoed into the address.
    other = _confirmed(make_intake(email="bo@example.com", first_name="Bo"), personas.practitioner,
                       morning + timedelta(hours=3))
    response = client.post(reverse("staff:session_mark", args=[other.pk]),
                           {"status": "no_show", "page": "//evil.example", "location": "1 OR 1"})
    assert response["Location"] == reverse("staff:bookings")


def test_a_no_show_drops_the_reminders_and_counts_nothing(personas, morning):
    intake = make_intake(email="ann@example.com", first_name="Ann")
    booking = _confirmed(intake, personas.practitioner, morning + timedelta(hours=5))
    timers_plan(booking, now=morning)  # the 3-hour reminder, at 12:00
    run_pending_on_commit(tasks=False)
    assert DBTaskResult.objects.filter(args_kwargs__kwargs__booking_id=booking.pk, status="READY").exists()

    session_mark(booking_id=booking.pk, status=BookingStatus.NO_SHOW, by=Actor.staff(personas.front_desk))

    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.NO_SHOW
    assert not DBTaskResult.objects.filter(args_kwargs__kwargs__booking_id=booking.pk, status="READY").exists()
    assert sessions_done(patient_id=intake.patient_id) == 0


def test_a_double_tap_marks_once_a_contrary_mark_and_a_later_day_are_refused(personas, morning):
    intake = make_intake(email="ann@example.com", first_name="Ann")
    today = _confirmed(intake, personas.practitioner, morning + timedelta(hours=1))
    by = Actor.staff(personas.front_desk)

    session_mark(booking_id=today.pk, status=BookingStatus.COMPLETED, by=by)
    session_mark(booking_id=today.pk, status=BookingStatus.COMPLETED, by=by)
    assert AuditEvent.objects.filter(action=AuditAction.BOOKING_CHANGED, object_id=str(today.pk)).count() == 1
    with pytest.raises(SessionError, match="session done"):
        session_mark(booking_id=today.pk, status=BookingStatus.NO_SHOW, by=by)

    other = make_intake(email="bea@example.com", first_name="Bea")
    tomorrow = _confirmed(other, personas.practitioner, morning + timedelta(days=1))
    with pytest.raises(SessionError, match="later day"):
        session_mark(booking_id=tomorrow.pk, status=BookingStatus.COMPLETED, by=by)
    client = staff_client(personas.front_desk)
    response = client.post(reverse("staff:session_mark", args=[tomorrow.pk]), {"status": "completed"}, follow=True)
    assert "mark it on the day" in response.content.decode()
    assert client.post(reverse("staff:session_mark", args=[tomorrow.pk]), {"status": "gone"}).status_code == 302
    assert Booking.objects.get(pk=tomorrow.pk).status == BookingStatus.CONFIRMED
