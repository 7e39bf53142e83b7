"""Booking writes: create and move (cancel and the hold lifecycle are in ``lifecycle``, named here too).

Each public function is one transaction. Before deciding anything it locks
what the decision depends on (the patient's intakes, then the practitioner
or the booking: always the intake first, as the clinicians' decisions do),
re-reads, and only then writes; the database constraints (one active booking
per intake; on PostgreSQL no overlapping active bookings per practitioner or
per patient) are the backstop, and a violation becomes a kind "that time was
just taken" instead of a 500. Emails go to the outbox in the same
transaction, and the booking's timers (hold expiry, reminders) are planned
there too (``screening.booking.timers``).

A refusal after the date re-check still commits that re-check's Screening
row (the record of what was checked), never a partial booking: every booking
write happens inside a savepoint that is rolled back on failure.

A held time is one of the facts of the intake's review state: every change
of a booking's status sets it again (``intake_review_state_refresh``).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from screening.audit.log import Actor
from screening.audit.models import AuditAction
from screening.booking import emails
from screening.booking.errors import BookingError, atomic_keeping_refusals, long_date
from screening.booking.lifecycle import (
    audit_booking,
    booking_cancel,
    booking_confirm_held,
    booking_release_held,
    bookings_expire_holds,
    expire_stale_holds,
)
from screening.booking.models import ACTIVE_BOOKING_STATUSES, Booking, BookingStatus, Practitioner
from screening.booking.selectors import (
    HoldPolicy,
    bookable_practitioners,
    calendars,
    earliest_day,
    free_days_for,
    hold_policy,
    horizon_day,
    intake_refusal,
    not_before,
    placing_zone,
)
from screening.booking.slots import Day, day_slots
from screening.booking.timers import timers_drop, timers_plan
from screening.intake.models import Intake, Screening
from screening.intake.review import intake_review_state_refresh
from screening.intake.screenings import record_screening
from screening.questionnaire.models import Outcome
from screening.questionnaire.selectors import live_questionnaire
from screening.rules import screen_answers

__all__ = [
    "BookingError",
    "booking_cancel",
    "booking_confirm_held",
    "booking_create",
    "booking_move",
    "booking_release_held",
    "bookings_expire_holds",
]

log = logging.getLogger(__name__)
ALTERNATIVE_DAYS = 7


# --- create and move ---------------------------------------------------------


def booking_create(
    *, intake: Intake, practitioner_id: int | None, start: datetime, now: datetime | None = None,
    actor: Actor | None = None, sms_phone: str = "", location_id: int | None = None,
) -> Booking:
    """Book ``start`` with a practitioner for the intake: confirmed, or held for review.

    ``practitioner_id`` None: any practitioner (at ``location_id``, if given) free then, chosen
    inside the transaction. Raises BookingError when the intake may not book, the slot is not one
    the picker would offer, the date rules refuse that date, or someone else got the time first.
    """
    now = now or timezone.now()
    return atomic_keeping_refusals(
        lambda: _place(intake.pk, practitioner_id, start, now, moving=False, actor=actor or Actor(),
                       sms_phone=sms_phone, location_id=location_id)
    )


def booking_move(
    *, intake: Intake, practitioner_id: int | None, start: datetime, now: datetime | None = None,
    actor: Actor | None = None, location_id: int | None = None,
) -> Booking:
    """Move the intake's active booking to another time, re-checking the date rules.

    All or nothing: if the new time fails for any reason the old booking
    stands as it was.
    """
    now = now or timezone.now()
    return atomic_keeping_refusals(
        lambda: _place(intake.pk, practitioner_id, start, now, moving=True, actor=actor or Actor(),
                       location_id=location_id)
    )


def _place(intake_pk: int, practitioner_id: int | None, start: datetime, now: datetime, *, moving: bool,
           actor: Actor, sms_phone: str = "", location_id: int | None = None) -> Booking:
    intake = _lock_patient(intake_pk)
    # The posted time is read in its location's zone: its day, its hours, its notice and furthest day.
    tz = placing_zone(intake.treatment, practitioner_id=practitioner_id, location_id=location_id)
    refusal = intake_refusal(intake, now=now)
    if refusal:
        raise BookingError(refusal)
    # A hold of this patient's that ran out no longer counts, cron or not.
    expire_stale_holds(Q(intake_id=intake.pk), now=now)
    current = intake.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES).first()
    if moving and current is None:
        raise BookingError("no_booking")
    if moving and current.start <= now:
        raise BookingError("past")
    if not moving and current is not None:
        raise BookingError("already_booked")
    if moving and current.start == start and practitioner_id in (None, current.practitioner_id):
        return current  # a second tap of the same move: it is there already, nothing changes twice
    ignore = current.pk if moving else None

    policy = hold_policy()
    if intake.outcome == Outcome.REVIEW:  # it will be held: refused before the slot (the picker never offers it)
        _check_hold_notice(intake, start, policy, tz=tz, now=now, ignore=ignore)
    day = start.astimezone(tz).date()
    _check_day(intake, start, day, tz=tz, now=now, ignore=ignore)
    practitioner, end = _lock_free_practitioner(intake, practitioner_id, start, day, tz=tz, now=now, ignore=ignore,
                                                location_id=location_id)
    _check_patient_free(intake, start, end, ignore_booking_id=ignore, tz=tz, now=now)
    held = _recheck_dates(intake, day, tz=tz, now=now)

    hold_expires_at = None
    if held:
        _check_hold_notice(intake, start, policy, tz=tz, now=now, ignore=ignore)
        hold_expires_at = policy.expires_at(start=start, now=now)
        if moving and current.status == BookingStatus.HELD:
            # Moving never lengthens a hold.
            hold_expires_at = min(hold_expires_at, current.hold_expires_at)
    expire_stale_holds(Q(start__lt=end, end__gt=start), now=now)
    booking = _claim(intake, practitioner, start, end, hold_expires_at, current if moving else None,
                     tz=tz, now=now, actor=actor, sms_phone=sms_phone)
    # A held time needs review; a hold moved or given up may end one. (A refusal above leaves the
    # state as it was: the re-check's screening matters to it only beside a review outcome or a
    # hold, which a decided intake never has.)
    intake_review_state_refresh(intake)
    kind = "moved" if moving else ("held" if held else "confirmed")
    emails.queue_booking_email(booking, kind, now=now)
    return booking


def _check_hold_notice(intake: Intake, start: datetime, policy: HoldPolicy, *, tz: ZoneInfo, now: datetime,
                       ignore: int | None) -> None:
    """A held time leaves a clinician time to look, and ends well before the appointment: else BookingError."""
    if start >= now + policy.notice:
        return
    earliest = (now + policy.notice).astimezone(tz)
    moment = _("{date} at {time}").format(date=long_date(earliest.date()), time=f"{earliest:%H:%M}")
    raise BookingError("hold_notice", earliest_moment=moment,
                       alternatives=_alternatives(intake, earliest.date(), tz=tz, now=now, ignore=ignore))


def _lock_patient(intake_pk: int) -> Intake:
    """Lock the intake and every other intake of the same patient (email), in id order.

    Ids are sorted so two requests for one patient never wait on each other
    in a circle. The lock makes "one active booking per intake" and "no two
    overlapping bookings per patient" decidable before writing.
    """
    email = Intake.objects.filter(pk=intake_pk).values_list("email", flat=True).first()
    same_patient = Q(pk=intake_pk)
    if email:
        same_patient |= Q(email__iexact=email)
    locked = list(Intake.objects.select_for_update().filter(same_patient).order_by("pk").values_list("pk", flat=True))
    if intake_pk not in locked:
        raise Intake.DoesNotExist
    return Intake.objects.select_related("treatment").get(pk=intake_pk)


def _lock_free_practitioner(
    intake: Intake, practitioner_id: int | None, start: datetime, day: date, *, tz: ZoneInfo, now: datetime,
    ignore: int | None, location_id: int | None,
) -> tuple[Practitioner, datetime]:
    """Lock the practitioner whose free slot ``start`` is, and the slot's end; else BookingError.

    For "any practitioner" (``practitioner_id`` None) the candidates are locked one by one in id
    order (so two patients never wait on each other in a circle) until one is free at ``start``;
    a lock waited for is followed by a fresh read, so the loser of a race moves on to the next one.
    """
    if practitioner_id is not None:
        practitioner = _lock_practitioner(practitioner_id, intake, now=now, ignore=ignore)
        return practitioner, _check_slot(intake, practitioner, start, day, tz=tz, now=now, ignore_booking_id=ignore)
    on_grid_anywhere = False
    for candidate in bookable_practitioners(intake.treatment, location_id=location_id):
        try:
            practitioner = _lock_practitioner(candidate.pk, intake, now=now, ignore=ignore)
        except BookingError:
            continue  # made inactive meanwhile
        end, free = _slot_end(intake, practitioner, start, day, tz=tz, now=now, ignore_booking_id=ignore)
        on_grid_anywhere = on_grid_anywhere or end is not None
        if end is not None and free:
            return practitioner, end
    raise BookingError("taken" if on_grid_anywhere else "invalid_slot",
                       alternatives=_alternatives(intake, day, tz=tz, now=now, ignore=ignore))


def _lock_practitioner(practitioner_id: int, intake: Intake, *, now: datetime, ignore: int | None) -> Practitioner:
    """Lock the practitioner: bookings for one practitioner are decided one at a time."""
    practitioner = (
        Practitioner.objects.select_for_update(of=("self",))
        .filter(pk=practitioner_id, active=True, treatments=intake.treatment)
        .first()
    )
    if practitioner is None:  # no such practitioner (any more): times with anyone, in their zone
        tz = placing_zone(intake.treatment, practitioner_id=None, location_id=None)
        raise BookingError("invalid_slot", alternatives=_alternatives(intake, None, tz=tz, now=now, ignore=ignore))
    return practitioner


def _check_slot(intake: Intake, practitioner: Practitioner, start: datetime, day: date, *, tz: ZoneInfo,
                now: datetime, ignore_booking_id: int | None) -> datetime:
    """The slot's end if ``start`` is a free slot of the practitioner; else BookingError."""
    end, free = _slot_end(intake, practitioner, start, day, tz=tz, now=now, ignore_booking_id=ignore_booking_id)
    if end is None or not free:
        raise BookingError("invalid_slot" if end is None else "taken",
                           alternatives=_alternatives(intake, day, tz=tz, now=now, ignore=ignore_booking_id))
    return end


def _check_day(intake: Intake, start: datetime, day: date, *, tz: ZoneInfo, now: datetime,
               ignore: int | None) -> None:
    """``day`` is between the intake's first bookable day and the treatment's furthest one; else BookingError."""
    earliest = earliest_day(intake, tz=tz, now=now)
    if day < earliest and start > now:
        raise BookingError("too_early", earliest=earliest,
                           alternatives=_alternatives(intake, earliest, tz=tz, now=now, ignore=ignore))
    if day < earliest or day > horizon_day(earliest, intake.treatment):
        raise BookingError("invalid_slot", alternatives=_alternatives(intake, None, tz=tz, now=now, ignore=ignore))


def _slot_end(
    intake: Intake, practitioner: Practitioner, start: datetime, day: date, *, tz: ZoneInfo, now: datetime,
    ignore_booking_id: int | None,
) -> tuple[datetime | None, bool]:
    """(the end of the practitioner's slot at ``start``, or None if there is none; whether it is free)."""
    treatment = intake.treatment
    [calendar] = calendars(treatment, first_day=day, last_day=day, tz=tz, now=now,
                           practitioner_id=practitioner.pk, ignore_booking_id=ignore_booking_id)
    duration = timedelta(minutes=treatment.duration_minutes)
    floor = not_before(day, tz=tz, now=now, treatment=treatment)
    on_grid = [s for s in day_slots(calendar, day, tz=tz, duration=duration, not_before=floor, include_busy=True)
               if s.start == start]
    if not on_grid:
        return None, False
    buffer = timedelta(minutes=treatment.buffer_minutes)
    free = any(s.start == start for s in day_slots(calendar, day, tz=tz, duration=duration, not_before=floor,
                                                  buffer=buffer))
    return on_grid[0].end, free


def _check_patient_free(
    intake: Intake, start: datetime, end: datetime, *, ignore_booking_id: int | None, tz: ZoneInfo, now: datetime
) -> None:
    if not intake.email:
        return
    clash = (
        Booking.objects.filter(status__in=ACTIVE_BOOKING_STATUSES, start__lt=end, end__gt=start)
        .filter(Q(intake__email__iexact=intake.email) | Q(patient_email=intake.email.lower()))
        .filter(Q(status=BookingStatus.CONFIRMED) | Q(hold_expires_at__gt=now))
    )
    if ignore_booking_id is not None:
        clash = clash.exclude(pk=ignore_booking_id)
    if clash.exists():
        raise BookingError("patient_overlap", alternatives=_alternatives(
            intake, start.astimezone(tz).date(), tz=tz, now=now, ignore=ignore_booking_id))


def _recheck_dates(intake: Intake, day: date, *, tz: ZoneInfo, now: datetime) -> bool:
    """Screen the answers again for the slot's date; True when the booking must be held.

    Records the re-check as a Screening (reason BOOKING). Refuses a date the
    rules do not allow, offering the earliest one they do.
    """
    questions, rules = live_questionnaire().rule_data  # compiled once per process, re-read when changed
    # Answers to questions the clinic has since retired play no part; one the engine cannot read
    # counts as missing, so the outcome is "incomplete" and the booking refused.
    result = screen_answers(intake.answers, rules=rules, questions=questions, treatment=intake.treatment.code,
                            on_date=day, today=now.astimezone(tz).date())
    record_screening(intake, result, reason=Screening.Reason.BOOKING, on_date=day, answers=intake.answers)
    if result.outcome == Outcome.NOT_SUITABLE:
        raise BookingError("not_suitable")
    if result.outcome == Outcome.INCOMPLETE:
        raise BookingError("incomplete")
    if result.eligible_from and result.eligible_from > day:
        raise BookingError("too_early", earliest=result.eligible_from,
                           alternatives=_alternatives(intake, result.eligible_from, tz=tz, now=now))
    if intake.outcome == Outcome.REVIEW:
        return True
    # A review flag that the intake's own screening did not raise (a
    # date-bound one, or a rule added since) needs a clinician too. Flags a
    # clinician already cleared were raised at submission and do not count.
    review_now = {f.rule for f in result.flags if f.severity == "review"}
    return bool(review_now - _review_codes_already_seen(intake))


def _review_codes_already_seen(intake: Intake) -> set[str]:
    latest = (
        intake.screenings.exclude(reason=Screening.Reason.BOOKING)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        return set()
    return set(latest.flags.filter(severity="review").values_list("rule_code", flat=True))


def _claim(
    intake: Intake,
    practitioner: Practitioner,
    start: datetime,
    end: datetime,
    hold_expires_at: datetime | None,
    moving_from: Booking | None,
    *,
    tz: ZoneInfo,
    now: datetime,
    actor: Actor,
    sms_phone: str = "",
) -> Booking:
    """Write the booking (and retire the one it replaces) in a savepoint.

    If a constraint refuses it, the savepoint rolls back, the old booking is
    untouched, and the patient is told the time was just taken.
    """
    try:
        with transaction.atomic():
            if moving_from is not None:
                retired = Booking.objects.filter(pk=moving_from.pk, status=moving_from.status).update(
                    status=BookingStatus.MOVED, ended_at=now, sequence=moving_from.sequence + 1
                )
                if retired != 1:
                    raise BookingError("no_booking")
                audit_booking(moving_from, AuditAction.BOOKING_CHANGED, actor, status=BookingStatus.MOVED)
                timers_drop(moving_from)
            booking = Booking(
                intake=intake,
                practitioner=practitioner,
                treatment=intake.treatment,
                start=start,
                end=end,
                status=BookingStatus.HELD if hold_expires_at else BookingStatus.CONFIRMED,
                hold_expires_at=hold_expires_at,
                patient_email=intake.email.lower(),
                sms_phone=sms_phone,
                created_at=now,
            )
            if moving_from is not None:
                # The same appointment to the patient's calendar, one version on.
                booking.calendar_uid = moving_from.calendar_uid
                booking.sequence = moving_from.sequence + 1
                booking.sms_phone = moving_from.sms_phone
            booking.full_clean(validate_unique=False, validate_constraints=False)
            booking.save(force_insert=True)
            if moving_from is not None:
                Booking.objects.filter(pk=moving_from.pk).update(moved_to=booking)
            audit_booking(booking, AuditAction.BOOKING_CREATED, actor, status=booking.status)
            timers_plan(booking, now=now)
    except IntegrityError:
        log.info("Booking for intake %s at %s lost a race", intake.pk, start.isoformat())
        ignore = moving_from.pk if moving_from else None
        alternatives = _alternatives(intake, start.astimezone(tz).date(), tz=tz, now=now, ignore=ignore)
        practitioner_busy = Booking.objects.filter(
            practitioner=practitioner, status__in=ACTIVE_BOOKING_STATUSES, start__lt=end, end__gt=start
        ).exclude(pk=ignore).exists()
        if not practitioner_busy and intake.email:
            raise BookingError("patient_overlap", alternatives=alternatives) from None
        raise BookingError("taken", alternatives=alternatives) from None
    return booking


def _alternatives(intake: Intake, from_day: date | None, *, tz: ZoneInfo, now: datetime,
                  ignore: int | None = None) -> list[Day]:
    """Other free times to offer after a refusal, from ``from_day`` (or the earliest day), days in ``tz``."""
    return free_days_for(intake, tz=tz, now=now, start_day=from_day, days=ALTERNATIVE_DAYS,
                         ignore_booking_id=ignore)
