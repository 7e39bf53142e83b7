"""The pre-visit health check, over time: planned with the booking, answered through the emailed link, acted on.

The clock is moved (time-machine), never waited for; the tasks due by then
run with the worker's own code.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from screening.audit.log import Actor
from screening.booking.models import Booking, BookingStatus
from screening.booking.services import booking_create, booking_move
from screening.booking.tasks import booking_send_recheck, booking_send_reminder
from screening.intake.models import Intake, ReviewState, Screening
from screening.outbox.models import Message, MessageKind
from screening.questionnaire.models import Question
from screening.questionnaire.seed import ASKED_AGAIN
from screening.review.services import intake_clear
from tests.booking.conftest import CLINIC_TZ, at
from tests.conftest import run_pending_on_commit, run_ready_tasks
from tests.intake.helpers import CLEAN, link_from_mail
from tests.staff.conftest import REVIEW, latest_screening, make_intake, patient_client, staff_client

pytestmark = pytest.mark.django_db

JANUARY = datetime(2027, 1, 12, 10, 0, tzinfo=CLINIC_TZ)
SESSION = at(date(2027, 3, 10), 11)  # Wednesday 10 March, 11:00


def _check_answers(**changed) -> dict:
    """The health check's form as the patient sends it: the intake's clean answers, with what changed."""
    fields = {**CLEAN[3], **CLEAN[5], **CLEAN[6], **CLEAN[7]}
    codes = {q.code for q in Question.objects.filter(asked_again=True)}
    data = {k: v for k, v in fields.items() if k.split("__")[0] in codes}
    data.update(changed)
    return data


def _cleared_in_january(personas, calendar) -> tuple[Intake, Booking]:
    """Sent in January with a flag a clinician cleared; a session booked for March."""
    with time_machine.travel(JANUARY, tick=False):
        intake = make_intake(email="maria@example.com", first_name="Maria", answers=REVIEW)
        intake_clear(intake_id=intake.pk, screening_id=latest_screening(intake).pk,
                     by=Actor.staff(personas.clinician), note="Tranexamic acid: fine for needling.")
        booking = booking_create(intake=Intake.objects.get(pk=intake.pk), practitioner_id=calendar["anna"].pk,
                                 start=SESSION)
        run_pending_on_commit()
    assert booking.status == BookingStatus.CONFIRMED
    return intake, booking


def _open_check(intake: Intake) -> Client:
    """The patient follows the link in the check's email; lands on the check."""
    run_ready_tasks()  # the outbox sends it
    sent = [m for m in mail.outbox if m.subject.startswith("A one-minute health check") and intake.email in m.to]
    url = link_from_mail(sent[-1])
    client = Client()
    client.get(url)
    response = client.post(reverse("intake:link_continue"))
    assert response["Location"] == reverse("courses:recheck", args=[intake.public_id])
    return client


def test_the_defaults_ask_again_what_can_change():
    assert set(Question.objects.filter(asked_again=True).values_list("code", flat=True)) == set(ASKED_AGAIN)
    from importlib import import_module

    frozen = import_module("screening.questionnaire.migrations.0006_question_asked_again").ASKED_AGAIN
    assert (*frozen, "anything_changed") == ASKED_AGAIN  # 0008 marks the one question it brings


def test_cleared_in_january_a_cold_sore_in_the_march_check_holds_the_session_and_the_clinician_sees_why(
        personas, calendar):
    intake, booking = _cleared_in_january(personas, calendar)
    planned = DBTaskResult.objects.get(task_path=booking_send_recheck.module_path, status="READY")
    assert planned.run_after == SESSION - timedelta(hours=48)

    with time_machine.travel(SESSION - timedelta(hours=48, minutes=-1), tick=False):
        run_ready_tasks()
        client = _open_check(intake)
        page = client.get(reverse("courses:recheck", args=[intake.public_id]))
        assert page.status_code == 200 and "Wednesday 10 March" in page.content.decode()
        response = client.post(reverse("courses:recheck", args=[intake.public_id]),
                               _check_answers(cold_sore_history="yes"), follow=True)
        run_pending_on_commit()

    assert "put it on hold" in response.content.decode()
    booking.refresh_from_db()
    intake.refresh_from_db()
    assert booking.status == BookingStatus.HELD and booking.hold_expires_at == SESSION
    assert intake.review_state == ReviewState.NEEDS_REVIEW
    check = latest_screening(intake)
    assert (check.reason, check.on_date, check.outcome) == (Screening.Reason.RECHECK, date(2027, 3, 10), "review")
    assert check.answers["cold_sore_history"] is True  # the snapshot that decided, with its rule revisions
    assert {f.rule_code for f in check.flags.all()} >= {"COLD_SORES"}
    assert all(f.rule_revision >= 1 for f in check.flags.all())
    assert Message.objects.filter(kind=MessageKind.BOOKING_HELD, booking_id=booking.pk).exists()

    clinician = staff_client(personas.clinician)
    queue = clinician.get(reverse("staff:queue")).content.decode()
    assert "Maria" in queue and "Re-check</span>" in queue
    page = clinician.get(reverse("staff:intake", args=[intake.public_id])).content.decode()
    assert "History of cold sores (face)" in page and "pre-visit re-check" in page


def test_an_unchanged_check_keeps_the_booking_and_a_cleared_flag_does_not_come_back(personas, calendar):
    intake, booking = _cleared_in_january(personas, calendar)
    with time_machine.travel(SESSION - timedelta(hours=47), tick=False):
        run_ready_tasks()
        client = _open_check(intake)
        response = client.post(reverse("courses:recheck", args=[intake.public_id]), _check_answers(), follow=True)
    assert "see you on" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Intake.objects.get(pk=intake.pk).review_state == ReviewState.CLEARED


def test_an_infection_now_cancels_kindly(personas, calendar):
    intake, booking = _cleared_in_january(personas, calendar)
    with time_machine.travel(SESSION - timedelta(hours=47), tick=False):
        run_ready_tasks()
        client = _open_check(intake)
        client.post(reverse("courses:recheck", args=[intake.public_id]),
                    _check_answers(active_skin_infection="yes"))
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    kind = Message.objects.get(kind=MessageKind.RECHECK_CANCELLED, booking_id=booking.pk)
    assert "You have not done anything wrong" in kind.body


def test_a_recent_peel_offers_the_first_allowed_date_and_keeps_the_time_until_they_pick(personas, calendar):
    intake, booking = _cleared_in_january(personas, calendar)
    with time_machine.travel(SESSION - timedelta(hours=47), tick=False):
        run_ready_tasks()
        client = _open_check(intake)
        answers = _check_answers(peel_or_laser_last_date="2027-03-06")
        answers.pop("peel_or_laser_last_date__never")
        response = client.post(reverse("courses:recheck", args=[intake.public_id]), answers)
    assert response["Location"] == reverse("booking:booking_move", args=[intake.public_id])
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED
    intake.refresh_from_db()
    assert intake.outcome == "deferred" and intake.eligible_from > date(2027, 3, 10)


def test_a_moved_booking_moves_its_check_and_reminders(personas, calendar):
    intake, booking = _cleared_in_january(personas, calendar)
    later = at(date(2027, 3, 17), 14)
    with time_machine.travel(JANUARY + timedelta(days=1), tick=False):
        moved = booking_move(intake=Intake.objects.get(pk=intake.pk), practitioner_id=calendar["anna"].pk,
                             start=later)
        run_pending_on_commit(tasks=False)
    ready = DBTaskResult.objects.filter(status="READY", task_path__in=[
        booking_send_recheck.module_path, booking_send_reminder.module_path])
    assert {(t.args_kwargs["kwargs"]["booking_id"], t.run_after) for t in ready} == {
        (moved.pk, later - timedelta(hours=48)),  # the check
        (moved.pk, later - timedelta(hours=48)),  # the 48-hour reminder
        (moved.pk, later - timedelta(hours=3)),
    }
    assert ready.filter(task_path=booking_send_recheck.module_path).count() == 1
    # The personal pre-care follows the appointment: read back from 10 March, then from 17 March.
    confirmed = Message.objects.get(kind=MessageKind.BOOKING_CONFIRMED, booking_id=booking.pk).body
    moved_email = Message.objects.get(kind=MessageKind.BOOKING_MOVED, booking_id=moved.pk).body
    assert "Stop your retinol or other retinoid creams after Friday 5 March" in confirmed
    assert "Stop your retinol or other retinoid creams after Friday 12 March" in moved_email
    assert "No peel, laser or IPL after Wednesday 3 March" in moved_email
    with time_machine.travel(JANUARY + timedelta(days=1), tick=False):
        page = patient_client(intake).get(reverse("booking:booking", args=[intake.public_id])).content.decode()
    assert "Stop your retinol or other retinoid creams after Friday 12 March" in page and "sunbeds" in page


def test_no_answer_by_the_cut_off_shows_not_rechecked_to_the_front_desk(personas, calendar):
    intake, booking = _cleared_in_january(personas, calendar)
    with time_machine.travel(SESSION - timedelta(hours=13), tick=False):
        run_ready_tasks()  # the check is sent; nobody answers
        page = staff_client(personas.front_desk).get(reverse("staff:bookings")).content.decode()
        assert "Maria" in page and "Not re-checked" not in page
    with time_machine.travel(SESSION - timedelta(hours=11), tick=False):  # the clinic's cut-off: 12 hours
        assert "Not re-checked" in staff_client(personas.front_desk).get(reverse("staff:bookings")).content.decode()
