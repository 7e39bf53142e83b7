"""The clinic admin's "Erase this patient" page, beside an intake's record in the admin.

A clearly confirmed action: the page says what goes and what stays, counts
the patient's intakes, and erases only when the admin types the patient's
email address again. Clinic admins signed in with their second factor only
(``can_erase_patients``); ``screening.review.erasure.patient_erase`` does the
work and writes the audit lines.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from screening.core.client_ip import request_actor
from screening.intake.models import Intake
from screening.review.erasure import patient_erase
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


class PatientEraseMixin(admin.ModelAdmin):
    """Adds ``<id>/erase/`` to the intake admin, and a button to it on the record's page."""

    change_form_template = "setup/intake_change_form.html"

    def erase_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not can_erase_patients(request.user):
            raise PermissionDenied
        intake = get_object_or_404(Intake, pk=object_id) if object_id.isdigit() else None
        if intake is None:
            return redirect("admin:intake_intake_changelist")
        if not intake.email:
            messages.info(request, "This intake holds no email address: it was erased already, or never had one.")
            return redirect("admin:intake_intake_change", intake.pk)
        form = EraseConfirmForm(request.POST if request.method == "POST" else None, email=intake.email)
        if request.method == "POST" and form.is_valid():
            done = patient_erase(email=intake.email, by=request_actor(request))
            messages.success(request, f"The patient is erased: {done.intakes} intake(s), {done.bookings} booking(s) "
                                      f"kept as anonymous slots, {done.messages} message(s) deleted.")
            return redirect("admin:intake_intake_change", intake.pk)
        count = Intake.objects.filter(email__iexact=intake.email).count()
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "original": intake,
                   "form": form, "count": count, "title": "Erase this patient"}
        return TemplateResponse(request, "setup/patient_erase.html", context, status=400 if form.is_bound else 200)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {**(extra_context or {}), "can_erase": can_erase_patients(request.user)}
        return super().change_view(request, object_id, form_url, extra)
