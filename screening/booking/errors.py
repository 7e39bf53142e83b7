"""The one exception the booking services raise, with its patient-facing messages.

And the transaction that keeps what a refused booking recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.booking.slots import Day

# Plain, kind, short: these are shown to patients as they are.
ERROR_MESSAGES = {
    "taken": gettext_lazy("Sorry, that time was just taken by someone else. Here are the other free times."),
    "invalid_slot": gettext_lazy("That time is not available. Please choose one of the times shown."),
    "too_early": gettext_lazy("Your treatment can go ahead from {earliest}. Please choose a time from then on."),
    "not_submitted": gettext_lazy("Please finish your questionnaire before you book."),
    "not_suitable": gettext_lazy(
        "We cannot book this treatment for you online. Please speak with your doctor, "
        "or contact the clinic, who will be glad to talk it through."
    ),
    "incomplete": gettext_lazy(
        "A few of your answers need another look before you can book. Please review them first."),
    "stale": gettext_lazy(
        "Your answers are more than {max_age} days old. Please review and send them again "
        "before you book, so we know they are up to date."
    ),
    "already_booked": gettext_lazy("You already have an appointment. You can move or cancel it instead."),
    "no_booking": gettext_lazy("There is no appointment to change."),
    "past": gettext_lazy("This appointment has already started, so it can no longer be changed online."),
    "patient_overlap": gettext_lazy(
        "You already have another appointment at that time. Please choose a different time."),
    "not_held": gettext_lazy("This booking is not waiting for a clinician's review."),
    "hold_notice": gettext_lazy(
        "A clinician looks at your form before we confirm a time, and that needs a little notice. "
        "Please choose a time from {earliest_moment} on."
    ),
    "hold_expired": gettext_lazy(
        "The provisional hold on this time has expired, so the time has been released."),
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
        self.message = str(ERROR_MESSAGES[code]).format(
            earliest=long_date(earliest) if earliest else _("a later date"),
            max_age=settings.BOOKING_INTAKE_MAX_AGE_DAYS,
            **{"earliest_moment": _("a later time"), **params},
        )
        super().__init__(self.message)


def long_date(day: date) -> str:
    """Tuesday 3 December 2026 (martes 3 de diciembre de 2026): in the active language."""
    return date_format(day, _("l j F Y"))


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
