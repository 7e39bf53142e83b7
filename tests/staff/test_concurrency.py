"""Two clinicians deciding on one intake at the same moment, with real transactions.

PostgreSQL only: each thread has its own connection and its own
transaction, and a barrier starts them together. The lock on the intake
serves them one after the other; the second is told what the first did.
A control run without the lock and without the constraint shows both
decisions landing, so the test can see the race it guards against.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import OperationalError, connection, connections

from screening.audit.log import Actor
from screening.booking.models import Booking, BookingStatus
from screening.booking.services import booking_cancel
from screening.intake.models import Intake, ReviewState
from screening.questionnaire.models import Outcome
from screening.review import services
from screening.review.models import FINAL_DECISION_KINDS, IntakeDecision
from screening.review.services import DecisionError
from tests.conftest import run_ready_tasks
from tests.staff.conftest import latest_screening

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises whole transactions, so there is no race "
                              "to test (set DATABASE_URL=postgres://...)"),
    pytest.mark.django_db(transaction=True),
]


def run_together(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread and connection, released at once; results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a decision hung"
    return results


def test_a_clear_and_a_decline_at_once_exactly_one_applies_and_the_other_is_told(personas):
    intake = personas.intake_a
    screening_id = latest_screening(intake).pk
    mail.outbox.clear()
    results = run_together(
        lambda: services.intake_clear(intake_id=intake.pk, screening_id=screening_id,
                                      by=Actor.staff(personas.clinician), note="Fine."),
        lambda: services.intake_decline(intake_id=intake.pk, screening_id=screening_id,
                                        by=Actor.staff(personas.clinician2), reason="see_doctor"),
    )
    applied = [r for r in results if isinstance(r, IntakeDecision)]
    refused = [r for r in results if isinstance(r, DecisionError)]
    assert len(applied) == 1 and len(refused) == 1, results
    [winner], [loser] = applied, refused
    assert loser.code == "already_decided"
    assert loser.decision.pk == winner.pk
    assert f"{winner.decided_by.username} {winner.get_kind_display().lower()} this intake" in loser.message

    assert IntakeDecision.objects.filter(intake=intake, kind__in=FINAL_DECISION_KINDS).count() == 1
    personas.booking_a.refresh_from_db()
    intake.refresh_from_db()
    if winner.kind == "clear":
        assert personas.booking_a.status == BookingStatus.CONFIRMED and intake.outcome == Outcome.ELIGIBLE
    else:
        assert personas.booking_a.status == BookingStatus.RELEASED and intake.outcome == Outcome.NOT_SUITABLE
    run_ready_tasks()  # the worker sends what the winner wrote to the outbox
    decision_mails = [m for m in mail.outbox if m.subject in ("Your answers have been reviewed",
                                                               "About your appointment request")]
    assert len(decision_mails) == 1


def test_a_double_submit_racing_itself_applies_once(personas):
    intake = personas.intake_b
    screening_id = latest_screening(intake).pk

    def clear():
        return services.intake_clear(intake_id=intake.pk, screening_id=screening_id,
                                     by=Actor.staff(personas.clinician), note="Fine.")

    results = run_together(clear, clear)
    assert sum(isinstance(r, IntakeDecision) for r in results) == 1, results
    [refused] = [r for r in results if isinstance(r, DecisionError)]
    assert refused.code == "already_decided" and refused.decision.decided_by == personas.clinician
    assert IntakeDecision.objects.filter(intake=intake).count() == 1


def test_without_the_lock_the_constraint_still_lets_only_one_through(personas, monkeypatch):
    intake = personas.intake_b
    screening_id = latest_screening(intake).pk
    _both_read_before_either_writes(monkeypatch, parties=2)
    results = run_together(
        lambda: services.intake_clear(intake_id=intake.pk, screening_id=screening_id,
                                      by=Actor.staff(personas.clinician), note="Fine."),
        lambda: services.intake_decline(intake_id=intake.pk, screening_id=screening_id,
                                        by=Actor.staff(personas.clinician2), reason="see_doctor"),
    )
    assert sum(isinstance(r, IntakeDecision) for r in results) == 1, results
    [refused] = [r for r in results if isinstance(r, DecisionError)]
    assert refused.code == "already_decided"
    assert IntakeDecision.objects.filter(intake=intake).count() == 1


def test_control_without_the_lock_or_the_constraint_both_decisions_land(personas, monkeypatch):
    """Shows the race is real: the guards above are what stop it."""
    intake = personas.intake_b
    screening_id = latest_screening(intake).pk
    constraint = next(c for c in IntakeDecision._meta.constraints
                      if c.name == "intakedecision_one_final_per_screening")
    with connection.schema_editor() as editor:
        editor.remove_constraint(IntakeDecision, constraint)
    try:
        _both_read_before_either_writes(monkeypatch, parties=2)
        results = run_together(
            lambda: services.intake_clear(intake_id=intake.pk, screening_id=screening_id,
                                          by=Actor.staff(personas.clinician), note="Fine."),
            lambda: services.intake_clear(intake_id=intake.pk, screening_id=screening_id,
                                          by=Actor.staff(personas.clinician2), note="Also fine."),
        )
        assert all(isinstance(r, IntakeDecision) for r in results), results
        assert IntakeDecision.objects.filter(intake=intake, kind="clear").count() == 2
    finally:
        IntakeDecision.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(IntakeDecision, constraint)


def _both_read_before_either_writes(monkeypatch, *, parties: int) -> None:
    """Take the lock away and hold each decision after its checks until all have checked."""
    from screening.intake.models import Intake

    read_barrier = threading.Barrier(parties)
    checked = services._final_decision

    monkeypatch.setattr(services, "_lock_intake",
                        lambda intake_id: Intake.objects.select_related("treatment").get(pk=intake_id))

    calls = threading.local()

    def final_decision_then_wait(screening):
        result = checked(screening)
        # The first check is of the screening read; wait there for the others.
        if not getattr(calls, "waited", False):
            calls.waited = True
            read_barrier.wait(timeout=10)
        return result

    monkeypatch.setattr(services, "_final_decision", final_decision_then_wait)


# --- a decision and the patient's cancellation at once: locks taken in one order --------------------


def _clear_and_cancel_together(personas, monkeypatch) -> list[object]:
    """The clinician clears intake A (its time held) while the patient cancels that time.

    The clear is held just after it has locked the intake, long enough for
    the cancellation to start taking its own locks; then both go on.
    """
    intake, booking = personas.intake_a, personas.booking_a
    screening_id = latest_screening(intake).pk
    intake_locked = threading.Event()
    held_booking = services._held_booking

    def held_booking_then_pause(locked_intake):
        intake_locked.set()
        time.sleep(0.5)
        return held_booking(locked_intake)

    monkeypatch.setattr(services, "_held_booking", held_booking_then_pause)

    def cancel():
        intake_locked.wait(timeout=10)
        return booking_cancel(booking_id=booking.pk)

    return run_together(
        lambda: services.intake_clear(intake_id=intake.pk, screening_id=screening_id,
                                      by=Actor.staff(personas.clinician), note="Fine."),
        cancel,
    )


def test_a_clear_and_the_patients_cancellation_at_once_both_apply_in_turn(personas, monkeypatch):
    results = _clear_and_cancel_together(personas, monkeypatch)
    assert isinstance(results[0], IntakeDecision), results
    assert isinstance(results[1], Booking), results
    personas.booking_a.refresh_from_db()
    personas.intake_a.refresh_from_db()
    # The clear confirmed the held time; the cancellation, served after it, cancelled that appointment.
    assert personas.booking_a.status == BookingStatus.CANCELLED
    assert personas.intake_a.review_state == ReviewState.CLEARED


def test_control_locking_the_booking_before_its_intake_deadlocks_with_a_decision(personas, monkeypatch):
    """Shows the deadlock is real: booking services lock the intake first so as never to meet it."""
    from screening.booking import lifecycle

    def booking_first(booking_id):
        booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
        if booking is not None:
            booking.intake = Intake.objects.select_for_update().get(pk=booking.intake_id)
        return booking

    monkeypatch.setattr(lifecycle, "_lock_booking", booking_first)
    results = _clear_and_cancel_together(personas, monkeypatch)
    assert any(isinstance(r, OperationalError) and "deadlock" in str(r) for r in results), results
