"""Clinicians' decisions in the Django admin, and the audit of every read of patient records there."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from screening.audit.log import audit_log
from screening.audit.models import AuditAction
from screening.core.client_ip import request_actor
from screening.review.models import IntakeDecision


class AuditsPatientReads(admin.ModelAdmin):
    """Every page of the admin that shows patient records writes an audit line, in the read's transaction.

    A list (with or without a search) records how many rows it showed and the
    intakes they belong to, never the search terms; a record's page records
    the intake it belongs to, as the staff intake page does.
    ``intake_field`` names the path from the model to its intake's id.
    """

    intake_field = "intake_id"

    def _intake_id(self, obj) -> int | None:
        return getattr(obj, self.intake_field, None)

    def changelist_view(self, request, extra_context=None):
        with transaction.atomic():
            response = super().changelist_view(request, extra_context)
            changelist = getattr(response, "context_data", {}).get("cl")
            if changelist is not None:
                shown = list(changelist.result_list)
                intakes = sorted({i for i in (self._intake_id(obj) for obj in shown) if i is not None})
                searched = "; searched" if changelist.query else ""
                audit_log(action=AuditAction.RECORDS_LISTED, actor=request_actor(request),
                          detail=f"admin list of {self.model._meta.verbose_name_plural}: {len(shown)} shown"
                                 f"{searched}; intakes {intakes[:200]}")
            return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        with transaction.atomic():
            response = super().change_view(request, object_id, form_url, extra_context)
            obj = getattr(response, "context_data", {}).get("original")
            if obj is not None and request.method == "GET":
                audit_log(action=AuditAction.INTAKE_VIEWED, actor=request_actor(request), target=obj,
                          intake_id=self._intake_id(obj), detail=f"admin page of a {self.model._meta.verbose_name}")
            return response


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(IntakeDecision)
class IntakeDecisionAdmin(AuditsPatientReads, ReadOnlyAdmin):
    list_display = ["decided_at", "intake", "kind", "decline_reason", "decided_by"]
    list_filter = ["kind", "decline_reason"]
    list_select_related = ["intake", "decided_by"]
    actions = None
