"""Admin for the calendar: clinic settings, practitioners with their hours (superusers: the clinic admin has the
set-up pages), bookings.

Bookings are read-mostly here: their status changes only through the
booking services (which keep the hold lifecycle and emails right).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from screening.booking.models import Booking, Practitioner, ScheduleException, WeeklyHours
from screening.core.models import ClinicSettings
from screening.review.admin import AuditsPatientReads
from screening.setup.forms import LabelledRowsFormSet


class SuperuserOnly:
    """Edited in the set-up pages (/staff/setup/, issue 17): in the stock admin for superusers only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(ClinicSettings)
class ClinicSettingsAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["time_zone"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not ClinicSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    formset = LabelledRowsFormSet
    extra = 0


class ScheduleExceptionInline(admin.TabularInline):
    model = ScheduleException
    formset = LabelledRowsFormSet
    extra = 0
    fields = ["date", "kind", "start", "end", "note"]


@admin.register(Practitioner)
class PractitionerAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "active"]
    list_filter = ["active", "treatments"]
    search_fields = ["name"]
    # A few treatments: plain checkboxes (Django's filter_horizontal widget fails axe: aria-label on an icon).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    inlines = [WeeklyHoursInline, ScheduleExceptionInline]


@admin.register(Booking)
class BookingAdmin(AuditsPatientReads):
    list_display = ["start", "end", "practitioner", "treatment", "status", "hold_expires_at", "intake_link"]
    list_filter = ["status", "practitioner", "treatment"]
    date_hierarchy = "start"
    search_fields = ["patient_email", "intake__public_id"]
    list_select_related = ["practitioner", "treatment", "intake"]
    readonly_fields = [f.name for f in Booking._meta.fields]

    @admin.display(description="Intake")
    def intake_link(self, obj: Booking) -> str:
        return str(obj.intake.public_id)[:8]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # every field is read-only: the booking services change a booking

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
