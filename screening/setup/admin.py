"""The stock Django admin's pages of the clinic's records, for superusers (issue 17); clinic admins: /staff/setup/."""

from __future__ import annotations

from django.contrib import admin

import screening.setup.calendar_admin  # noqa: F401  (clinic settings, practitioners, hours, bookings)
import screening.setup.questionnaire_admin  # noqa: F401  (steps, questions, versions)
from screening.core.models import Treatment
from screening.intake.models import AccessLink, Flag, Intake, PatientQuestion, Screening
from screening.review.admin import AuditsPatientReads, ReadOnlyAdmin
from screening.setup.calendar_admin import SuperuserOnly
from screening.setup.rules_admin import RescreenActionMixin, rescreen_intakes


@admin.register(Treatment)
class TreatmentAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["code", "name", "duration_minutes", "active", "order"]
    list_editable = ["active", "order"]


class FlagInline(admin.TabularInline):
    model = Flag
    fields = ["rule_code", "rule_revision", "severity", "evidence", "eligible_from", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Screening)
class ScreeningAdmin(AuditsPatientReads):
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
class IntakeAdmin(RescreenActionMixin, AuditsPatientReads, ReadOnlyAdmin):
    """Read only (its readable fields are all read-only anyway); the re-screen action adds a screening."""

    intake_field = "pk"
    list_display = ["public_id", "first_name", "last_name", "treatment", "status", "outcome", "review_state",
                    "submitted_at"]
    list_filter = ["status", "outcome", "review_state", "treatment"]
    search_fields = ["first_name", "last_name", "email"]
    readonly_fields = [f.name for f in Intake._meta.fields]
    actions = [rescreen_intakes]


@admin.register(AccessLink)
class AccessLinkAdmin(AuditsPatientReads, ReadOnlyAdmin):
    """Read only: staff revoke a patient's links from the intake's staff page (audited)."""

    list_display = ["intake", "purpose", "created_at", "expires_at", "last_used_at", "revoked_at"]
    fields = ["intake", "purpose", "token_hash", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["purpose"]


@admin.register(PatientQuestion)
class PatientQuestionAdmin(AuditsPatientReads, ReadOnlyAdmin):
    list_display = ["asked_at", "intake", "answered_at", "closed_at"]
    list_select_related = ["intake"]
    actions = None
