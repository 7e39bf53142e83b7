"""Staff pages for the front desk's work: book, move and cancel for a patient; the bookings that no longer match.

Booking for a patient goes through the patients' own booking services
(``booking_create``, ``booking_move``, ``booking_cancel``): the same
screening gate, the same date re-check, the same refusals, shown to staff
with their reason. The staff user is the actor in the audit trail. Nobody
here can clear a flag: an intake that needs review is held, as it would be
online, until a clinician decides.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from screening.booking import selectors as booking_selectors
from screening.booking.errors import BookingError
from screening.booking.services import booking_cancel, booking_create, booking_move
from screening.booking.slots import parse_slot_value
from screening.core.client_ip import request_actor
from screening.core.clinic import clinic_zone
from screening.intake.models import Intake
from screening.review.mismatched import MismatchError, booking_cancel_mismatched, mismatched_bookings
from screening.review.patient_email import EmailCorrectionError, intake_correct_email
from screening.review.permissions import BOOK_FOR_PATIENT, CORRECT_EMAIL, requires

PICKER_DAYS = 7
REFUSED = 409


def _intake(public_id) -> Intake:
    return get_object_or_404(Intake.objects.select_related("treatment"), public_id=public_id,
                             status=Intake.Status.SUBMITTED)


@never_cache
@require_http_methods(["GET", "POST"])
@requires(BOOK_FOR_PATIENT)
def book_for_patient(request: HttpRequest, public_id) -> HttpResponse:
    """Book (or move) a time for the patient on the phone or at the desk."""
    intake = _intake(public_id)
    current = booking_selectors.active_booking_for(intake)
    error = None
    if request.method == "POST":
        chosen = parse_slot_value(request.POST.get("slot", ""))
        if chosen is None:
            error = BookingError("invalid_slot")
        else:
            place = booking_move if current else booking_create
            try:
                booking = place(intake=intake, practitioner_id=chosen[0], start=chosen[1],
                                actor=request_actor(request))
            except BookingError as refusal:
                error = refusal
            else:
                done = "held for a clinician's review" if booking.status == "held" else "booked"
                messages.success(request, f"{intake.first_name} {intake.last_name}: {'moved and ' if current else ''}"
                                          f"{done}. The patient gets the email.")
                return redirect("staff:intake", public_id=intake.public_id)
    return _picker(request, intake, current, error)


def _picker(request: HttpRequest, intake: Intake, current, error: BookingError | None) -> HttpResponse:
    now = timezone.now()
    # Its practitioners' location's zone (the clinic's when they work at several): the days and times shown.
    tz = booking_selectors.place_zone(None, booking_selectors.bookable_practitioners(intake.treatment))
    refusal = booking_selectors.intake_refusal(intake, now=now)
    days = []
    if refusal is None:
        first = _day(request.GET.get("from")) or booking_selectors.earliest_day(intake, tz=tz, now=now)
        days = booking_selectors.free_days_for(intake, tz=tz, now=now, start_day=first, days=PICKER_DAYS,
                                               ignore_booking_id=current.pk if current else None)
    shown = _day(request.GET.get("day"))
    selected = next((d for d in days if d.date == shown), next((d for d in days if d.slots), None))
    status = 200 if error is None else REFUSED
    return render(request, "review/book_for_patient.html", {
        "intake": intake, "current": current, "tz": tz, "days": days, "selected": selected, "error": error,
        "refusal": BookingError(refusal).message if refusal else "",
        "later": (days[-1].date + timedelta(days=1)) if days else None,
    }, status=status)


def _day(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        return None


@require_POST
@requires(BOOK_FOR_PATIENT)
def cancel_for_patient(request: HttpRequest, public_id) -> HttpResponse:
    """Cancel the patient's appointment, as they asked (the patient gets the usual cancellation email)."""
    intake = _intake(public_id)
    current = booking_selectors.active_booking_for(intake)
    try:
        if current is None:
            raise BookingError("no_booking")
        booking_cancel(booking_id=current.pk, actor=request_actor(request))
    except BookingError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"The appointment of {intake.first_name} {intake.last_name} is cancelled.")
    return redirect("staff:intake", public_id=intake.public_id)


@never_cache
@require_safe
@requires(BOOK_FOR_PATIENT)
def mismatched(request: HttpRequest) -> HttpResponse:
    return render(request, "review/mismatched.html", {"rows": mismatched_bookings(), "tz": clinic_zone()})


@require_POST
@requires(BOOK_FOR_PATIENT)
def mismatched_cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    try:
        booking = booking_cancel_mismatched(booking_id=booking_id, actor=request_actor(request))
    except (MismatchError, BookingError) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Cancelled; {booking.intake.first_name} {booking.intake.last_name} is told "
                                  "by email.")
    return redirect("staff:mismatched")


@require_POST
@requires(CORRECT_EMAIL)
def correct_email(request: HttpRequest, public_id) -> HttpResponse:
    """Correct the patient's email: new links go to the new address, the old ones stop working."""
    intake = _intake(public_id)
    try:
        intake_correct_email(intake_id=intake.pk, email=request.POST.get("email", ""), by=request_actor(request))
    except EmailCorrectionError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Email corrected. Links sent to the old address no longer work; send the "
                                  "patient a new one if they need it.")
    return redirect("staff:intake", public_id=intake.public_id)
