"""Staff pages of a patient: the record with its timeline, merging two records, marking a session."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from screening.audit.log import audit_log
from screening.audit.models import AuditAction
from screening.core.client_ip import request_actor
from screening.core.clinic import clinic_zone
from screening.courses.follow_up import skin_report_seen
from screening.courses.models import SkinReport
from screening.courses.sessions import SessionError, session_mark, sessions_done
from screening.patients.services import PatientError, patients_merge
from screening.review import patient_selectors
from screening.review.permissions import (
    DECIDE,
    MARK_SESSIONS,
    MERGE_PATIENTS,
    VIEW_INTAKES,
    can_decide,
    can_erase_patients,
    can_merge_patients,
    requires,
)


class MergeForm(forms.Form):
    other = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class SessionForm(forms.Form):
    status = forms.ChoiceField(choices=[("completed", "Done"), ("no_show", "Did not come")])


@never_cache
@require_safe
@requires(VIEW_INTAKES)
def patient_detail(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The patient's timeline; showing it is a read of health data, so it is recorded."""
    patient = patient_selectors.patient_for_staff(patient_id=patient_id)
    audit_log(action=AuditAction.PATIENT_VIEWED, actor=request_actor(request), target=patient)
    zone = clinic_zone()
    record = patient_selectors.patient_record(patient=patient, zone=zone)
    with timezone.override(zone):
        return render(request, "review/patient_detail.html",
                      {"record": record, "can_merge": can_merge_patients(request.user),
                       "can_decide": can_decide(request.user), "can_erase": can_erase_patients(request.user),
                       "sessions_done": sessions_done(patient_id=patient.pk)})


@require_POST
@requires(MERGE_PATIENTS)
def patient_merge(request: HttpRequest, patient_id: int) -> HttpResponse:
    """Merge another record into this one (the one whose page this is is kept)."""
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was merged: the page was out of date. Please try again.")
        return redirect("staff:patient", patient_id)
    try:
        patients_merge(keep_id=patient_id, merge_id=form.cleaned_data["other"], by=request_actor(request))
    except PatientError as error:
        messages.warning(request, str(error))
        return redirect("staff:patient", patient_id)
    messages.success(request, f"Record {form.cleaned_data['other']} merged into this one.")
    return redirect("staff:patient", patient_id)


@require_POST
@requires(MARK_SESSIONS)
def session_mark_view(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Mark a session done or missed, from the staff bookings page; back to it."""
    form = SessionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing was marked: choose Done or Did not come.")
        return _back_to_bookings(request)
    try:
        booking = session_mark(booking_id=booking_id, status=form.cleaned_data["status"], by=request_actor(request))
    except SessionError as error:
        messages.warning(request, str(error))
        return _back_to_bookings(request)
    name = f"{booking.intake.first_name} {booking.intake.last_name}".strip() or "the patient"
    messages.success(request, f"{name}: {booking.get_status_display().lower()}.")
    return _back_to_bookings(request)


def _back_to_bookings(request: HttpRequest) -> HttpResponse:
    """The page of the bookings list the mark was made on, its location kept (numbers only, or left out)."""
    kept = {name: value for name in ("location", "page")
            if (value := request.POST.get(name, "")).isdigit() and len(value) < 10}
    url = reverse("staff:bookings")
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


@require_POST
@requires(DECIDE)
def skin_report_seen_view(request: HttpRequest, report_id: int) -> HttpResponse:
    """A clinician has seen a reported reaction (and called the patient if needed): off the task list."""
    report = get_object_or_404(SkinReport, pk=report_id)
    skin_report_seen(report_id=report.pk, by=request_actor(request))
    messages.success(request, "Marked as seen.")
    return redirect("staff:patient", report.patient_id)
