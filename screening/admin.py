"""The clinic admin's screens (Django admin)."""

from __future__ import annotations

from django.contrib import admin

import screening.booking.admin  # noqa: F401  (practitioners, hours, bookings)
from screening.models import AccessLink, Flag, Intake, Question, Rule, Screening, Step, Treatment


@admin.register(Treatment)
class TreatmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "duration_minutes", "active", "order"]
    list_editable = ["active", "order"]


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "code", "type", "label", "required", "active"]
    extra = 0
    show_change_link = True


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "step", "order", "type", "required", "active"]
    list_filter = ["step", "type", "required", "active"]
    search_fields = ["code", "label"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "severity", "treatments", "active", "revision"]
    list_filter = ["severity", "active"]
    search_fields = ["code", "name"]
    readonly_fields = ["revision", "updated_at"]


class FlagInline(admin.TabularInline):
    model = Flag
    fields = ["rule_code", "rule_revision", "severity", "evidence", "eligible_from", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Screening)
class ScreeningAdmin(admin.ModelAdmin):
    """Snapshots: readable, never editable."""

    list_display = ["intake", "reason", "outcome", "eligible_from", "on_date", "created_at"]
    list_filter = ["outcome", "reason"]
    inlines = [FlagInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["public_id", "first_name", "last_name", "treatment", "status", "outcome", "submitted_at"]
    list_filter = ["status", "outcome", "treatment"]
    search_fields = ["first_name", "last_name", "email"]
    readonly_fields = [f.name for f in Intake._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AccessLink)
class AccessLinkAdmin(admin.ModelAdmin):
    list_display = ["intake", "purpose", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["intake", "purpose", "token_hash", "created_at", "expires_at", "last_used_at"]
    list_filter = ["purpose"]

    def has_add_permission(self, request) -> bool:
        return False
