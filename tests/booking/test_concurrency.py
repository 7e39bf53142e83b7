"""Many patients, one slot, at the same moment: real transactions on PostgreSQL.

Each thread has its own database connection and runs the booking service in
its own transaction; a barrier releases them together.

Three tests:
- the service as it is: exactly one booking, everyone else "taken";
- the service with its practitioner lock removed and every thread held back
  until all have passed the Python checks: the database constraints alone
  still let exactly one through (the backstop works);
- the control: the same, with the constraints dropped too. Then several
  bookings of one time go through, which shows that the first two tests can
  see a double booking if there is one.

SQLite cannot run these: it serialises every write behind one file lock, so
there is no concurrent race to observe; there the partial unique constraint
and the service's checks are tested by the ordinary tests.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection

from screening.booking import services
from screening.booking.errors import BookingError
from screening.booking.models import Booking, Practitioner
from screening.intake.models import Intake
from tests.booking.conftest import active_bookings, at, today

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent transactions and the booking_no_overlap exclusion constraint "
        "(SQLite serialises all writes, so there is no race to observe); set DATABASE_URL to run it",
    ),
]

THREADS = 20
TIMEOUT = 60


def race(intakes: list[Intake], attempt: Callable[[Intake], Booking]) -> list[tuple[str, object]]:
    """Run ``attempt`` for every intake at once, one thread and connection each."""
    start = threading.Barrier(len(intakes), timeout=TIMEOUT)
    results: list[tuple[str, object]] = []
    lock = threading.Lock()

    def run(intake: Intake) -> None:
        try:
            start.wait()
            booking = attempt(intake)
            outcome: tuple[str, object] = ("booked", booking.pk)
        except BookingError as error:
            outcome = ("refused", error.code)
        except Exception as error:  # noqa: BLE001 - any other error fails the test below
            outcome = ("error", repr(error))
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(intake,)) for intake in intakes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    assert not any(t.is_alive() for t in threads), "a booking thread hung"
    assert len(results) == len(intakes)
    return results


@pytest.fixture
def patients(make_intake) -> list[Intake]:
    return [make_intake() for _ in range(THREADS)]


@pytest.fixture
def slot_start():
    return at(today() + timedelta(days=2), 10)


@pytest.fixture
def without_practitioner_lock(monkeypatch) -> threading.Barrier:
    """Take out the service's lock and hold every thread just before its insert.

    Returns the barrier: every thread has passed the service's own checks
    (and seen the slot free) before any of them writes. Only the database
    can stop a double booking now.
    """
    checked = threading.Barrier(THREADS, timeout=TIMEOUT)

    def unlocked(practitioner_id, intake, *, now, ignore):
        practitioner = Practitioner.objects.filter(pk=practitioner_id, treatments=intake.treatment).first()
        if practitioner is None:
            raise BookingError("invalid_slot")
        return practitioner

    real_claim = services._claim

    def claim_when_everyone_has_checked(*args, **kwargs):
        checked.wait()
        return real_claim(*args, **kwargs)

    monkeypatch.setattr(services, "_lock_practitioner", unlocked)
    monkeypatch.setattr(services, "_claim", claim_when_everyone_has_checked)
    return checked


@pytest.fixture
def without_constraints():
    """Drop the constraints that forbid a double booking, and put them back after."""
    no_overlap = importlib.import_module("screening.booking.migrations.0002_no_overlap")
    unique_start = next(c for c in Booking._meta.constraints if c.name == "booking_unique_active_start")
    with connection.schema_editor() as editor:
        editor.execute(no_overlap.DROP)
        editor.remove_constraint(Booking, unique_start)
    try:
        yield
    finally:
        Booking.objects.all().delete()  # the double bookings would block the constraints
        with connection.schema_editor() as editor:
            editor.add_constraint(Booking, unique_start)
            editor.execute(no_overlap.CREATE)


def test_twenty_patients_booking_one_slot_at_once_get_exactly_one_booking(patients, calendar, slot_start):
    anna = calendar["anna"].pk
    results = race(patients, lambda intake: services.booking_create(
        intake=intake, practitioner_id=anna, start=slot_start))

    assert [r for r in results if r[0] == "error"] == []
    assert len([r for r in results if r[0] == "booked"]) == 1
    assert sorted(r for r in results if r[0] == "refused") == [("refused", "taken")] * (THREADS - 1)
    [booking] = active_bookings()
    assert booking.start == slot_start and booking.practitioner_id == anna


def test_twenty_patients_booking_any_practitioner_at_once_fill_each_practitioner_once(patients, calendar, slot_start):
    # Anna and Ben do face treatments and are free at 10:00: "any practitioner" gives that time twice, no more.
    results = race(patients, lambda intake: services.booking_create(
        intake=intake, practitioner_id=None, start=slot_start))

    assert [r for r in results if r[0] == "error"] == []
    assert len([r for r in results if r[0] == "booked"]) == 2
    assert {r[1] for r in results if r[0] == "refused"} == {"taken"}
    assert sorted(b.practitioner_id for b in active_bookings()) == sorted([calendar["anna"].pk, calendar["ben"].pk])


def test_the_database_alone_stops_a_double_booking_when_the_lock_is_gone(
    patients, calendar, slot_start, without_practitioner_lock, caplog
):
    # Half the patients ask for 10:00, half for 10:30: one hour each, so all
    # overlap, and only the exclusion constraint (not the unique start) can
    # tell 10:00 and 10:30 apart.
    anna = calendar["anna"].pk
    starts = {intake.pk: slot_start + timedelta(minutes=30 * (i % 2)) for i, intake in enumerate(patients)}
    results = race(patients, lambda intake: services.booking_create(
        intake=intake, practitioner_id=anna, start=starts[intake.pk]))

    assert [r for r in results if r[0] == "error"] == []
    assert len([r for r in results if r[0] == "booked"]) == 1
    assert {r[1] for r in results if r[0] == "refused"} == {"taken"}
    assert len(active_bookings()) == 1
    # Every refusal came from a constraint violation turned into "taken".
    lost = [r for r in caplog.records if "lost a race" in r.getMessage()]
    assert len(lost) == THREADS - 1


def test_control_without_lock_and_constraints_the_same_race_double_books(
    patients, calendar, slot_start, without_practitioner_lock, without_constraints
):
    anna = calendar["anna"].pk
    results = race(patients, lambda intake: services.booking_create(
        intake=intake, practitioner_id=anna, start=slot_start))

    assert [r for r in results if r[0] == "error"] == []
    booked = [r for r in results if r[0] == "booked"]
    # Every thread saw the slot free, and nothing stopped the inserts: the
    # race the first two tests guard against is real.
    assert len(booked) > 1, results
    assert len(Booking.objects.filter(start=slot_start, practitioner_id=anna, status="confirmed")) == len(booked)
