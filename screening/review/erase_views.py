"""The clinic admin's "Erase this patient" page, reached from the staff patient page (issue 17).

A clearly confirmed action: the page says what goes and what stays, counts
the patient's intakes, and erases only when the admin types the patient's
email address again. Clinic admins signed in with their second factor only
(``can_erase_patients``); ``screening.review.erasure.patient_erase`` does the
work and writes the audit lines.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from screening.core.client_ip import request_actor
from screening.intake.models import Intake
from screening.patients.models import Patient
from screening.review.erasure import patient_erase
from screening.review.patient_selectors import patient_for_staff
from screening.review.permissions import can_erase_patients


class EraseConfirmForm(forms.Form):
    confirm = forms.CharField(label="Type the patient's email address to confirm", max_length=254)

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip()
        if typed.lower() != self.email.lower():
            raise forms.ValidationError("That is not this patient's email address: nothing was erased.")
        return typed


def erasure_email(patient: Patient) -> str:
    """The address that names the patient: the proven one, else the latest intake's ("" once erased)."""
    if patient.email:
        return patient.email
    latest = (Intake.objects.filter(patient=patient).exclude(email="").order_by("-created_at", "-id")
              .values_list("email", flat=True).first())
    return latest or ""


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def patient_erase_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    if not can_erase_patients(request.user):
        raise PermissionDenied
    patient = patient_for_staff(patient_id=patient_id)
    email = erasure_email(patient)
    if not email:
        messages.info(request, "This patient's record holds no email address: it was erased already, or never had one.")
        return redirect("staff:patient", patient.pk)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None, email=email)
    if form.is_valid():
        done = patient_erase(email=email, by=request_actor(request))
        messages.success(request, f"The patient is erased: {done.intakes} intake(s), {done.bookings} booking(s) "
                                  f"kept as anonymous slots, {done.messages} message(s) deleted.")
        return redirect("staff:patient", patient.pk)
    count = Intake.objects.filter(email__iexact=email).count()
    return render(request, "review/patient_erase.html", {"patient": patient, "form": form, "count": count},
                  status=400 if form.is_bound else 200)
