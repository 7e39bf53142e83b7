"""The audit trail and decisions in the Django admin: readable by clinic admins, never editable."""

from __future__ import annotations

from django.contrib import admin

from screening.models.staff import AuditEvent, IntakeDecision, PatientQuestion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Append-only: the model, the database (PostgreSQL) and this admin all refuse changes."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "intake_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id"]
    date_hierarchy = "at"
    list_select_related = False
    fields = ["at", "actor_label", "actor_id", "action", "object_type", "object_id", "intake_id", "ip", "detail"]
    readonly_fields = fields
    actions = None


@admin.register(IntakeDecision)
class IntakeDecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_at", "intake", "kind", "decline_reason", "decided_by"]
    list_filter = ["kind", "decline_reason"]
    list_select_related = ["intake", "decided_by"]
    actions = None


@admin.register(PatientQuestion)
class PatientQuestionAdmin(ReadOnlyAdmin):
    list_display = ["asked_at", "intake", "answered_at", "closed_at"]
    list_select_related = ["intake"]
    actions = None
