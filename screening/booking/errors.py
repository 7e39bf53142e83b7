"""The one exception the booking services raise, with its patient-facing messages.

And the transaction that keeps what a refused booking recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.db import transaction

from screening.booking.slots import Day

# Plain, kind, short: these are shown to patients as they are.
ERROR_MESSAGES: dict[str, str] = {
    "taken": "Sorry, that time was just taken by someone else. Here are the other free times.",
    "invalid_slot": "That time is not available. Please choose one of the times shown.",
    "too_early": "Your treatment can go ahead from {earliest}. Please choose a time from then on.",
    "not_submitted": "Please finish your questionnaire before you book.",
    "not_suitable": (
        "We cannot book this treatment for you online. Please speak with your doctor, "
        "or contact the clinic, who will be glad to talk it through."
    ),
    "incomplete": "A few of your answers need another look before you can book. Please review them first.",
    "stale": (
        "Your answers are more than {max_age} days old. Please review and send them again "
        "before you book, so we know they are up to date."
    ),
    "already_booked": "You already have an appointment. You can move or cancel it instead.",
    "no_booking": "There is no appointment to change.",
    "past": "This appointment has already started, so it can no longer be changed online.",
    "patient_overlap": "You already have another appointment at that time. Please choose a different time.",
    "not_held": "This booking is not waiting for a clinician's review.",
    "hold_notice": (
        "A clinician looks at your form before we confirm a time, and that needs a little notice. "
        "Please choose a time from {earliest_moment} on."
    ),
    "hold_expired": "The provisional hold on this time has expired, so the time has been released.",
}


class BookingError(Exception):
    """A booking the service refused, with a message a patient can read.

    ``alternatives`` are other free times to offer instead (for "taken",
    "too early" and unavailable times); ``earliest`` is the first date the
    patient may book, when that is the reason.
    """

    def __init__(
        self,
        code: str,
        *,
        earliest: date | None = None,
        alternatives: Sequence[Day] | None = None,
        **params: object,
    ) -> None:
        self.code = code
        self.earliest = earliest
        self.alternatives = list(alternatives) if alternatives is not None else None
        self.message = ERROR_MESSAGES[code].format(
            earliest=long_date(earliest) if earliest else "a later date",
            max_age=settings.BOOKING_INTAKE_MAX_AGE_DAYS,
            **{"earliest_moment": "a later time", **params},
        )
        super().__init__(self.message)


def long_date(day: date) -> str:
    """Tuesday 3 December 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


T = TypeVar("T")


def atomic_keeping_refusals(work: Callable[[], T]) -> T:
    """Run ``work`` in one transaction; a BookingError still commits what was recorded.

    Everything ``work`` writes before refusing is a record (a Screening
    row, holds found expired), never part of a booking, so it may stand.
    """
    refusal: BookingError | None = None
    with transaction.atomic():
        try:
            return work()
        except BookingError as error:
            refusal = error
    raise refusal
