"""Patient pages for booking: pick a time, see, cancel or move the booking.

Thin views: access (patient_intake_or_404), form, service, redirect. Every
page is never_cache: they show private details on possibly shared phones.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.booking import selectors
from screening.booking.emails import pre_care_lines
from screening.booking.errors import BookingError
from screening.booking.forms import SlotForm
from screening.booking.models import Booking, BookingStatus
from screening.booking.picker import choose_where, day_parts
from screening.booking.services import booking_cancel, booking_create, booking_move
from screening.booking.slots import parse_slot_value
from screening.core.client_ip import request_actor
from screening.core.clinic import booking_zone, clinic_profile, clinic_zone
from screening.core.ratelimit import limited
from screening.core.wordings import clinic_texts
from screening.intake.access import patient_intake_or_404
from screening.intake.models import Intake
from screening.questionnaire.models import Outcome

# Refused pages, taken times and bad form values get these status codes, so
# that tests and logs can tell them apart; browsers show the page all the same.
REFUSED, INVALID, CONFLICT = 403, 400, 409


@never_cache
@require_http_methods(["GET", "POST"])
@limited("booking")
def book(request: HttpRequest, public_id) -> HttpResponse:
    intake = patient_intake_or_404(request, public_id)
    if selectors.active_booking_for(intake):
        return redirect("booking:booking", intake.public_id)
    form = SlotForm(request.POST or None, initial={"mobile": intake.answers.get("phone") or ""})
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_create(intake=intake, actor=request_actor(request), **form.booking_args())
        except BookingError as error:
            if error.code == "already_booked":
                # A second tap (or tab) after the first booked: the page the first one led to.
                return redirect("booking:booking", intake.public_id)
            return _picker(request, intake, form, error=error)
        messages.success(request, _booked_message(booking))
        return redirect("booking:booking", intake.public_id)
    return _picker(request, intake, form)


@never_cache
@require_http_methods(["GET", "POST"])
@limited("booking")
def booking_move_view(request: HttpRequest, public_id) -> HttpResponse:
    intake = patient_intake_or_404(request, public_id)
    current = selectors.active_booking_for(intake)
    if current is None:
        return redirect("booking:book", intake.public_id)
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = booking_move(intake=intake, actor=request_actor(request), **form.booking_args())
        except BookingError as error:
            return _picker(request, intake, form, error=error, moving=current)
        messages.success(request, _("Your appointment has moved.") + " " + _booked_message(booking))
        return redirect("booking:booking", intake.public_id)
    return _picker(request, intake, form, moving=current)


@never_cache
def booking_detail(request: HttpRequest, public_id) -> HttpResponse:
    intake = patient_intake_or_404(request, public_id)
    booking = selectors.active_booking_for(intake)
    last = None if booking else (intake.bookings.select_related("practitioner__location")
                                 .order_by("-created_at", "-id").first())
    return render(request, "booking/booking.html", {
        "intake": intake,
        "booking": booking,
        "last": last,
        "tz": booking_zone(booking or last) if booking or last else clinic_zone(),
        "can_book": selectors.intake_refusal(intake, now=timezone.now()) is None,
        "can_change": booking is not None and booking.start > timezone.now(),
        "pre_care": pre_care_lines(booking) if booking else [],
        "pre_care_text": clinic_texts(clinic_profile()).pre_care_text if booking else "",
        "address": selectors.booking_address(booking) if booking else "",
        "location_name": booking.practitioner.location.name if booking and booking.practitioner.location else "",
    })


@never_cache
@require_http_methods(["GET", "POST"])
def booking_cancel_view(request: HttpRequest, public_id) -> HttpResponse:
    intake = patient_intake_or_404(request, public_id)
    booking = selectors.active_booking_for(intake)
    if booking is None:
        return redirect("booking:booking", intake.public_id)
    if request.method == "POST":
        try:
            booking_cancel(booking_id=booking.pk, actor=request_actor(request))
        except BookingError as error:
            if error.code != "no_booking":  # else a second tap: the first cancelled it, the page says so
                messages.error(request, error.message)
        else:
            messages.success(request, _("Your appointment is cancelled. We are sending you an email to confirm it."))
        return redirect("booking:booking", intake.public_id)
    return render(request, "booking/cancel.html",
                  {"intake": intake, "booking": booking, "tz": booking_zone(booking)})


def _booked_message(booking: Booking) -> str:
    if booking.status == BookingStatus.HELD:
        return _("We are holding this time for you until a clinician has looked at your form.")
    return _("Your appointment is confirmed. We are sending you an email with the details.")


def _picker(
    request: HttpRequest, intake: Intake, form: SlotForm, *, error: BookingError | None = None,
    moving: Booking | None = None,
) -> HttpResponse:
    """The slot picker page, or the page that says why this intake cannot book."""
    now = timezone.now()
    refusal = selectors.intake_refusal(intake, now=now)
    if refusal:
        return render(request, "booking/refused.html", {
            "intake": intake, "code": refusal, "message": BookingError(refusal).message,
        }, status=REFUSED)
    where = choose_where(request, intake, form, moving)
    if where.locations and where.location is None:
        return render(request, "booking/locations.html", {"intake": intake, "where": where, "moving": moving})
    tz = where.zone  # the location's: its hours, its days, its times
    earliest = selectors.earliest_day(intake, tz=tz, now=now)
    horizon = selectors.horizon_day(earliest, intake.treatment)
    # A hand-edited ?from= can't move past the booking horizon (nor overflow).
    first = min(max(earliest, _day_param(request, "from") or earliest), horizon)
    # After a refusal, the days the service offered instead, for the place and person chosen.
    from_day = error.alternatives[0].date if error is not None and error.alternatives else first
    days = selectors.free_days_for(intake, tz=tz, now=now, start_day=max(first, from_day),
                                   ignore_booking_id=moving.pk if moving else None, **where.filters)
    shown = _day_param(request, "day") or _chosen_day(form, tz)
    selected = next((d for d in days if d.date == shown), days[0] if days else None)
    window = timedelta(days=selectors.PICKER_DAYS)
    later = first + window
    status = 200
    if error is not None:
        status = CONFLICT if error.code in ("taken", "patient_overlap") else INVALID
    elif form.is_bound:
        status = INVALID
    return render(request, "booking/picker.html", {
        "intake": intake,
        "form": form,
        "error": error,
        "days": days,
        "selected": selected,
        "parts": day_parts(selected, where, tz),
        "where": where,
        "first": first,
        "tz": tz,
        "moving": moving,
        "earliest": earliest,
        "starts_later": earliest > now.astimezone(tz).date(),
        "review": intake.outcome == Outcome.REVIEW,
        "hold_hours": settings.BOOKING_HOLD_HOURS,
        "hold": _hold_hours(),
        "later": later if later <= horizon else None,
        "earlier": max(first - window, earliest) if first > earliest else None,
    }, status=status)


def _hold_hours() -> dict[str, int]:
    policy = selectors.hold_policy()
    hour = timedelta(hours=1)
    return {"notice_hours": policy.notice // hour, "ends_before_hours": policy.ends_before // hour}


def _chosen_day(form: SlotForm, tz) -> date | None:
    """The day of the time the patient had chosen, so a refused form shows it still chosen."""
    parsed = parse_slot_value(form.data.get("slot", "")) if form.is_bound else None
    return parsed[1].astimezone(tz).date() if parsed else None


def _day_param(request: HttpRequest, name: str) -> date | None:
    raw = request.GET.get(name, "")
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None
