"""The audit trail in the Django admin (superusers only since review 0007): readable, never editable."""

from __future__ import annotations

from django.contrib import admin

from screening.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Append-only: the model, the database (PostgreSQL) and this admin all refuse changes."""

    list_display = ["at", "actor_label", "action", "object_type", "object_id", "intake_id", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id"]
    date_hierarchy = "at"
    list_select_related = False
    fields = ["at", "actor_label", "actor_id", "action", "object_type", "object_id", "intake_id", "ip", "detail"]
    readonly_fields = fields
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
