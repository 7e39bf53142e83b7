"""The clinic admin's "Erase this patient" page, reached from the staff patient page (issue 17).

A clearly confirmed action: the page says what goes and what stays, counts
the record's intakes, names the other records that share its address (they
are not erased), and erases only when the admin types one of the patient's
email addresses again. Clinic admins signed in with their second factor only
(``can_erase_patients``); ``screening.review.erasure.patient_record_erase``
does the work and writes the audit lines.
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
from screening.review.erasure import erasure_scope, patient_record_erase
from screening.review.patient_selectors import patient_for_staff
from screening.review.permissions import can_erase_patients


class EraseConfirmForm(forms.Form):
    confirm = forms.CharField(label="Type the patient's email address to confirm", max_length=254)

    def __init__(self, *args, addresses: frozenset[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.addresses = addresses

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip()
        if typed.lower() not in self.addresses:  # the record's address, or one of its intakes' (corrected) ones
            raise forms.ValidationError("That is not this patient's email address: nothing was erased.")
        return typed


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def patient_erase_view(request: HttpRequest, patient_id: int) -> HttpResponse:
    if not can_erase_patients(request.user):
        raise PermissionDenied
    scope = erasure_scope(patient_for_staff(patient_id=patient_id))
    patient = scope.patient
    if not scope.addresses:
        messages.info(request, "This patient's record holds no email address: it was erased already, or never had one.")
        return redirect("staff:patient", patient.pk)
    form = EraseConfirmForm(request.POST if request.method == "POST" else None, addresses=scope.addresses)
    if form.is_valid():
        done = patient_record_erase(patient_id=patient.pk, by=request_actor(request))
        messages.success(request, f"The patient is erased: {done.intakes} intake(s), {done.bookings} booking(s) "
                                  f"kept as anonymous slots, {done.messages} message(s) deleted.")
        return redirect("staff:patient", patient.pk)
    return render(request, "review/patient_erase.html",
                  {"patient": patient, "form": form, "count": len(scope.intake_ids), "others": scope.others},
                  status=400 if form.is_bound else 200)
