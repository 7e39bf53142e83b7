"""Clinicians' decisions in the Django admin: readable by clinic admins, never editable."""

from __future__ import annotations

from django.contrib import admin

from screening.review.models import IntakeDecision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IntakeDecision)
class IntakeDecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "intake", "kind", "decline_reason", "decided_by"]
    list_filter = ["kind", "decline_reason"]
    list_select_related = ["intake", "decided_by"]
    actions = None
