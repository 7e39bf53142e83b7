"""The booking services: who may book, which times, the date re-check, one at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from screening.booking.errors import BookingError, long_date
from screening.booking.models import Booking, BookingStatus, ScheduleException
from screening.booking.services import booking_cancel, booking_create, booking_move
from screening.core.models import ClinicSettings
from screening.intake.models import Intake, Screening
from screening.questionnaire.models import Outcome
from tests.booking.conftest import CLINIC_TZ, active_bookings, at, today
from tests.conftest import run_pending_on_commit

pytestmark = pytest.mark.django_db


def book(intake, practitioner, start):
    return booking_create(intake=intake, practitioner_id=practitioner.pk, start=start)


def refusal(intake, practitioner, start) -> BookingError:
    with pytest.raises(BookingError) as caught:
        book(intake, practitioner, start)
    return caught.value


def tomorrow_at(hour: int, minute: int = 0):
    return at(today() + timedelta(days=1), hour, minute)


# --- who may book ----------------------------------------------------------------


def test_an_eligible_intake_books_a_confirmed_appointment(make_intake, calendar):
    intake = make_intake(Outcome.ELIGIBLE)
    booking = book(intake, calendar["anna"], tomorrow_at(10))
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.hold_expires_at is None
    assert booking.end - booking.start == timedelta(minutes=intake.treatment.duration_minutes)
    assert booking.patient_email == intake.email


def test_a_review_intake_gets_a_provisional_hold_that_expires(make_intake, calendar):
    intake = make_intake(Outcome.REVIEW)
    now = timezone.now()
    booking = booking_create(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=5), 10),
                             now=now)
    assert booking.status == BookingStatus.HELD
    assert booking.hold_expires_at == now + timedelta(hours=48)


def test_a_hold_ends_the_clinics_time_before_the_appointment(make_intake, calendar):
    # Three days ahead at 09:00: 48 hours from now would be fine, but not closer than 12 hours to the time.
    now = timezone.now()
    start = at(today() + timedelta(days=2), 9)
    booking = booking_create(intake=make_intake(Outcome.REVIEW), practitioner_id=calendar["anna"].pk, start=start,
                             now=now)
    assert booking.hold_expires_at == min(now + timedelta(hours=48), start - timedelta(hours=12))
    assert booking.hold_expires_at <= start - timedelta(hours=12)


def test_the_clinics_own_hold_settings_are_used(make_intake, calendar):
    ClinicSettings.objects.filter(pk=1).update(hold_min_notice_hours=72, hold_ends_before_hours=36)
    start = at(today() + timedelta(days=5), 10)
    booking = book(make_intake(Outcome.REVIEW), calendar["anna"], start)
    assert booking.hold_expires_at <= start - timedelta(hours=36)
    with pytest.raises(BookingError) as caught:
        book(make_intake(Outcome.REVIEW), calendar["ben"], at(today() + timedelta(days=2), 10))
    assert caught.value.code == "hold_notice"


@time_machine.travel(at(today(), 12), tick=False)  # noon: tomorrow 10:00 is 22 hours away, 13:00 is 25
def test_a_hold_cant_be_taken_inside_the_minimum_notice(make_intake, calendar):
    intake = make_intake(Outcome.REVIEW)
    soon = tomorrow_at(10)
    error = refusal(intake, calendar["anna"], soon)
    assert error.code == "hold_notice"
    assert "needs a little notice" in error.message
    assert f"Please choose a time from {long_date(today() + timedelta(days=1))} at 12:00 on." in error.message
    # What is offered instead is all beyond the notice; nothing was booked.
    offered = [slot.start for day in error.alternatives for slot in day.slots]
    assert offered and min(offered) == tomorrow_at(12)
    assert active_bookings() == []
    assert book(intake, calendar["anna"], tomorrow_at(13)).status == BookingStatus.HELD
    # The same early time is fine for a patient who needs no review: only holds need notice.
    assert book(make_intake(Outcome.ELIGIBLE), calendar["ben"], soon).status == BookingStatus.CONFIRMED


@time_machine.travel(at(today(), 12), tick=False)
def test_the_picker_offers_a_review_intake_only_times_beyond_the_notice(make_intake, calendar):
    from screening.booking.selectors import free_days_for

    now = timezone.now()
    days = free_days_for(make_intake(Outcome.REVIEW), tz=CLINIC_TZ, now=now)
    assert min(slot.start for day in days for slot in day.slots) == tomorrow_at(12)
    eligible = free_days_for(make_intake(Outcome.ELIGIBLE), tz=CLINIC_TZ, now=now)
    assert min(slot.start for day in eligible for slot in day.slots) < now + timedelta(hours=24)


@pytest.mark.parametrize("outcome, code", [
    (Outcome.NOT_SUITABLE, "not_suitable"),
    (Outcome.INCOMPLETE, "incomplete"),
])
def test_not_suitable_and_incomplete_intakes_cannot_book(make_intake, calendar, outcome, code):
    intake = make_intake(outcome)
    assert refusal(intake, calendar["anna"], tomorrow_at(10)).code == code
    assert active_bookings() == []


def test_a_draft_intake_cannot_book(make_intake, calendar):
    intake = make_intake()
    intake.status, intake.outcome, intake.submitted_at = "draft", "", None
    intake.save()
    assert refusal(intake, calendar["anna"], tomorrow_at(10)).code == "not_submitted"


def test_an_intake_submitted_more_than_30_days_ago_is_asked_to_review_its_answers(make_intake, calendar):
    stale = make_intake(submitted_days_ago=31)
    error = refusal(stale, calendar["anna"], tomorrow_at(10))
    assert error.code == "stale"
    assert "30 days" in error.message
    assert active_bookings() == []
    assert book(make_intake(submitted_days_ago=29), calendar["anna"], tomorrow_at(10)).pk


def test_an_intake_whose_answers_are_fine_but_block_on_re_check_cannot_book(make_intake, calendar):
    # The stored outcome says eligible, but the answers block: the re-check wins.
    intake = make_intake(Outcome.ELIGIBLE, answers={"active_acne": True})
    assert refusal(intake, calendar["anna"], tomorrow_at(10)).code == "not_suitable"
    assert active_bookings() == []


# --- the date re-check -------------------------------------------------------------


def test_a_deferred_intake_books_from_its_eligible_from_date_on(make_intake, calendar):
    intake = make_intake(Outcome.DEFERRED)
    eligible = intake.eligible_from
    error = refusal(intake, calendar["anna"], at(eligible - timedelta(days=1), 10))
    assert error.code == "too_early"
    assert error.earliest == eligible
    assert error.alternatives[0].date == eligible
    booking = book(intake, calendar["anna"], at(eligible, 10))
    assert booking.status == BookingStatus.CONFIRMED


def test_the_date_rules_are_checked_again_for_the_slots_date(make_intake, calendar):
    # Stored as eligible with no date (say a rule changed since), but the last
    # isotretinoin dose was 180 days ago: the slot must be 3 days away or more.
    intake = make_intake(Outcome.ELIGIBLE, answers={"isotretinoin_last_taken": -180})
    earliest = today() + timedelta(days=3)
    error = refusal(intake, calendar["anna"], at(earliest - timedelta(days=1), 10))
    assert error.code == "too_early"
    assert error.earliest == earliest
    assert "from" in error.message and str(earliest.year) in error.message
    check = intake.screenings.get()
    assert check.reason == Screening.Reason.BOOKING
    assert check.on_date == earliest - timedelta(days=1)
    assert check.outcome == Outcome.DEFERRED
    assert list(check.flags.values_list("rule_code", flat=True)) == ["ISOTRETINOIN"]
    assert check.flags.get().rule.code == "ISOTRETINOIN"
    assert book(intake, calendar["anna"], at(earliest, 10)).status == BookingStatus.CONFIRMED
    assert intake.screenings.count() == 2


def test_the_re_check_is_recorded_and_leaves_the_intakes_outcome_alone(make_intake, calendar):
    intake = make_intake(Outcome.DEFERRED)
    book(intake, calendar["anna"], at(intake.eligible_from, 10))
    check = intake.screenings.get(reason=Screening.Reason.BOOKING)
    assert check.on_date == intake.eligible_from
    assert check.outcome == Outcome.ELIGIBLE
    intake.refresh_from_db()
    assert intake.outcome == Outcome.DEFERRED


def test_a_review_flag_the_intakes_own_screening_did_not_raise_holds_the_booking(make_intake, calendar):
    # Radiation 200 days ago: a review rule until a year after it.
    intake = make_intake(Outcome.ELIGIBLE, answers={"radiation_last_date": -200})
    booking = book(intake, calendar["anna"], at(today() + timedelta(days=2), 10))
    assert booking.status == BookingStatus.HELD


def test_review_flags_already_raised_at_submission_and_then_cleared_do_not_hold_again(make_intake, calendar):
    from screening.intake.screenings import record_screening
    from screening.questionnaire.selectors import rule_data
    from screening.rules import parse_answers, screen

    intake = make_intake(Outcome.REVIEW)
    questions, rules = rule_data()
    result = screen(parse_answers(intake.answers, questions, today=today()), rules=rules, questions=questions,
                    treatment="face", on_date=today())
    record_screening(intake, result, reason=Screening.Reason.SUBMIT, on_date=today(), answers=intake.answers)
    intake.outcome = Outcome.ELIGIBLE  # a clinician cleared it
    intake.save()
    assert book(intake, calendar["anna"], tomorrow_at(10)).status == BookingStatus.CONFIRMED


# --- tampered or impossible slots --------------------------------------------------


@pytest.mark.parametrize("start_of", [
    lambda: tomorrow_at(10, 7),  # off the half-hour grid
    lambda: tomorrow_at(3),  # before opening
    lambda: tomorrow_at(16, 30),  # would end after closing
    lambda: at(today() - timedelta(days=1), 10),  # the past
    lambda: at(today() + timedelta(days=400), 10),  # beyond the booking horizon
])
def test_a_time_that_is_not_an_offered_slot_is_refused(make_intake, calendar, start_of):
    error = refusal(make_intake(), calendar["anna"], start_of())
    assert error.code == "invalid_slot"
    assert error.alternatives  # with times to choose from instead
    assert active_bookings() == []


def test_an_unknown_inactive_or_unqualified_practitioner_is_refused(make_intake, calendar):
    intake = make_intake(treatment="face")
    for practitioner_id in (999_999, calendar["carol"].pk):  # Carol does scalp only
        with pytest.raises(BookingError) as caught:
            booking_create(intake=intake, practitioner_id=practitioner_id, start=tomorrow_at(10))
        assert caught.value.code == "invalid_slot"
    calendar["ben"].active = False
    calendar["ben"].save()
    assert refusal(intake, calendar["ben"], tomorrow_at(10)).code == "invalid_slot"
    assert active_bookings() == []


def test_a_closed_day_cannot_be_booked(make_intake, calendar):
    day = today() + timedelta(days=2)
    ScheduleException.objects.create(practitioner=calendar["anna"], date=day, kind="closed")
    assert refusal(make_intake(), calendar["anna"], at(day, 10)).code == "invalid_slot"


# --- no double booking -------------------------------------------------------------


def test_a_booked_time_is_taken_for_the_next_patient_with_other_free_times_offered(make_intake, calendar):
    book(make_intake(), calendar["anna"], tomorrow_at(10))
    error = refusal(make_intake(), calendar["anna"], tomorrow_at(10, 30))  # overlaps 10:00-11:00
    assert error.code == "taken"
    assert "just taken" in error.message
    offered = [s for d in error.alternatives for s in d.slots]
    assert offered and all(
        not (s.practitioner_id == calendar["anna"].pk and s.start < tomorrow_at(11) and s.end > tomorrow_at(10))
        for s in offered
    )
    # Ben is free at the same time.
    assert any(s.practitioner_id == calendar["ben"].pk and s.start == tomorrow_at(10, 30) for s in offered)
    assert len(active_bookings()) == 1


def test_a_held_time_is_taken_too(make_intake, calendar):
    start = at(today() + timedelta(days=2), 10)
    book(make_intake(Outcome.REVIEW), calendar["anna"], start)
    assert refusal(make_intake(), calendar["anna"], start).code == "taken"


def test_one_intake_has_at_most_one_active_booking(make_intake, calendar):
    intake = make_intake()
    book(intake, calendar["anna"], tomorrow_at(10))
    assert refusal(intake, calendar["ben"], tomorrow_at(14)).code == "already_booked"
    assert len(active_bookings()) == 1


def test_a_patient_cannot_hold_two_overlapping_bookings_across_intakes(make_intake, calendar):
    face = make_intake(email="sam@example.com")
    scalp = make_intake(email="Sam@Example.com", treatment="scalp")
    book(face, calendar["anna"], tomorrow_at(10))
    assert refusal(scalp, calendar["ben"], tomorrow_at(10, 30)).code == "patient_overlap"
    assert book(scalp, calendar["ben"], tomorrow_at(11)).status == BookingStatus.CONFIRMED


def test_a_constraint_violation_becomes_taken_not_a_crash(make_intake, calendar, monkeypatch):
    # Make the service's own check blind, so that only the database refuses.
    from screening.booking import services

    first = book(make_intake(), calendar["anna"], tomorrow_at(10))
    real_check = services._check_slot

    def blind_check(intake, practitioner, start, day, **kwargs):
        kwargs["ignore_booking_id"] = first.pk
        return real_check(intake, practitioner, start, day, **kwargs)

    monkeypatch.setattr(services, "_check_slot", blind_check)
    monkeypatch.setattr(services, "_check_patient_free", lambda *a, **k: None)
    error = refusal(make_intake(), calendar["anna"], tomorrow_at(10))
    assert error.code == "taken"
    assert error.alternatives is not None
    assert len(active_bookings()) == 1


# --- move and cancel ---------------------------------------------------------------


def test_moving_frees_the_old_time_and_records_where_it_went(make_intake, calendar):
    intake = make_intake()
    old = book(intake, calendar["anna"], tomorrow_at(10))
    new = booking_move(intake=intake, practitioner_id=calendar["anna"].pk, start=tomorrow_at(10, 30))
    old.refresh_from_db()
    assert old.status == BookingStatus.MOVED and old.moved_to == new
    assert new.status == BookingStatus.CONFIRMED
    assert active_bookings() == [new]
    # The old time is free for someone else now (the new one covers 10:30-11:30).
    assert book(make_intake(), calendar["anna"], tomorrow_at(9, 30)).pk


def test_a_move_to_a_taken_time_leaves_the_old_booking_standing(make_intake, calendar):
    intake = make_intake()
    old = book(intake, calendar["anna"], tomorrow_at(10))
    book(make_intake(), calendar["ben"], tomorrow_at(14))
    with pytest.raises(BookingError) as caught:
        booking_move(intake=intake, practitioner_id=calendar["ben"].pk, start=tomorrow_at(14))
    assert caught.value.code == "taken"
    old.refresh_from_db()
    assert old.status == BookingStatus.CONFIRMED and old.moved_to is None
    assert len(active_bookings()) == 2


def test_a_move_re_checks_the_date_rules_for_the_new_date(make_intake, calendar):
    intake = make_intake(Outcome.DEFERRED)
    old = book(intake, calendar["anna"], at(intake.eligible_from + timedelta(days=2), 10))
    intake.eligible_from = None  # even if the stored date were lost, the re-check knows
    intake.save()
    with pytest.raises(BookingError) as caught:
        booking_move(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=12), 10))
    assert caught.value.code == "too_early"
    assert caught.value.earliest == today() + timedelta(days=13)
    old.refresh_from_db()
    assert old.status == BookingStatus.CONFIRMED
    moved = booking_move(intake=intake, practitioner_id=calendar["anna"].pk, start=at(today() + timedelta(days=13), 10))
    assert moved.start == at(today() + timedelta(days=13), 10)
    assert intake.screenings.filter(reason=Screening.Reason.BOOKING).count() == 3


def test_a_held_booking_stays_held_when_moved_and_its_hold_is_not_lengthened(make_intake, calendar):
    intake = make_intake(Outcome.REVIEW)
    old = book(intake, calendar["anna"], at(today() + timedelta(days=5), 10))
    later = timezone.now() + timedelta(hours=10)
    new = booking_move(intake=intake, practitioner_id=calendar["ben"].pk, start=at(today() + timedelta(days=6), 10),
                       now=later)
    assert new.status == BookingStatus.HELD
    assert new.hold_expires_at == old.hold_expires_at


def test_moving_without_a_booking_is_refused(make_intake, calendar):
    with pytest.raises(BookingError) as caught:
        booking_move(intake=make_intake(), practitioner_id=calendar["anna"].pk, start=tomorrow_at(10))
    assert caught.value.code == "no_booking"


def test_cancelling_frees_the_time_and_tells_the_patient(make_intake, calendar):
    intake = make_intake()
    booking = book(intake, calendar["anna"], tomorrow_at(10))
    booking_cancel(booking_id=booking.pk)
    run_pending_on_commit()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.ended_at
    assert "cancelled" in mail.outbox[-1].subject
    assert book(make_intake(), calendar["anna"], tomorrow_at(10)).pk
    with pytest.raises(BookingError):
        booking_cancel(booking_id=booking.pk)


def test_an_appointment_in_the_past_cannot_be_cancelled_or_moved(make_intake, calendar):
    intake = make_intake()
    booking = book(intake, calendar["anna"], tomorrow_at(10))
    Booking.objects.filter(pk=booking.pk).update(start=timezone.now() - timedelta(hours=1),
                                                 end=timezone.now() + timedelta(minutes=1))
    with pytest.raises(BookingError) as caught:
        booking_cancel(booking_id=booking.pk)
    assert caught.value.code == "past"
    with pytest.raises(BookingError) as caught:
        booking_move(intake=intake, practitioner_id=calendar["anna"].pk, start=tomorrow_at(14))
    assert caught.value.code == "past"


def test_a_patient_deferred_half_a_year_can_still_book_from_that_date(make_intake, calendar):
    # Isotretinoin stopped 3 days ago: eligible 180 days from today.
    eligible = today() + timedelta(days=180)
    intake = make_intake(Outcome.DEFERRED, answers={"isotretinoin_last_taken": -3}, eligible_from=eligible)
    assert book(intake, calendar["anna"], at(eligible, 10)).status == BookingStatus.CONFIRMED


def test_an_answer_to_a_question_the_clinic_has_retired_does_not_stop_a_booking(make_intake, calendar):
    from screening.questionnaire.models import Question

    intake = make_intake()
    # A question no rule reads (other_allergies is read by the medicine-list rules since issue 18).
    Question.objects.filter(code="concerns").update(active=False)
    assert book(intake, calendar["anna"], tomorrow_at(10)).status == BookingStatus.CONFIRMED


def test_an_answer_the_engine_cannot_read_stops_a_booking_as_missing_and_the_check_is_kept(make_intake, calendar):
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(answers={**intake.answers, "active_acne": "maybe"})
    intake.refresh_from_db()

    assert refusal(intake, calendar["anna"], tomorrow_at(10)).code == "incomplete"
    check = intake.screenings.filter(reason=Screening.Reason.BOOKING).get()
    assert (check.outcome, active_bookings()) == ("incomplete", [])


def test_an_unreadable_answer_to_an_optional_question_does_not_stop_a_booking(make_intake, calendar):
    intake = make_intake()
    Intake.objects.filter(pk=intake.pk).update(answers={**intake.answers, "phone": 7700900123})
    intake.refresh_from_db()

    assert book(intake, calendar["anna"], tomorrow_at(10)).status == BookingStatus.CONFIRMED


def test_record_screening_stores_flags_with_their_rule_and_can_update_the_intake(make_intake, calendar):
    from screening.intake.screenings import record_screening
    from screening.questionnaire.selectors import rule_data
    from screening.rules import parse_answers, screen

    intake = make_intake(Outcome.ELIGIBLE, answers={"isotretinoin_last_taken": -100, "metal_allergy": True})
    questions, rules = rule_data()
    typed = parse_answers(intake.answers, questions, today=today())
    result = screen(typed, rules=rules, questions=questions, treatment="face", on_date=today())
    stored = record_screening(intake, result, reason=Screening.Reason.RESCREEN, on_date=today(), answers=typed,
                              update_intake=True)
    assert stored.answers["isotretinoin_last_taken"] == (today() - timedelta(days=100)).isoformat()
    flags = {f.rule_code: f for f in stored.flags.all()}
    assert set(flags) == {"ISOTRETINOIN", "METAL_ALLERGY"}
    assert flags["ISOTRETINOIN"].rule.code == "ISOTRETINOIN"
    assert flags["ISOTRETINOIN"].rule_revision == flags["ISOTRETINOIN"].rule.revision
    assert flags["ISOTRETINOIN"].eligible_from == today() + timedelta(days=83)
    intake.refresh_from_db()
    assert (intake.outcome, intake.eligible_from) == (Outcome.REVIEW, today() + timedelta(days=83))
