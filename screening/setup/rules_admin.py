"""The superusers' rule screens in the Django admin: published rules, drafts, preview, publish, revisions.

(Clinic admins change rules on the staff side, ``screening.setup.rule_views``.)

A published rule is read-only here: every change is a draft (``RuleDraft``)
that is previewed and then published, which makes a new revision. Views
stay thin: permission, form, service, redirect.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from screening.core.client_ip import request_actor
from screening.questionnaire.admin_selectors import rules_with_recent_flags
from screening.questionnaire.definitions import describe_condition
from screening.questionnaire.models import DraftCondition, DraftExample, Rule, RuleDraft, RuleRevision
from screening.questionnaire.services import RulesAdminError, draft_discard, draft_publish, draft_start
from screening.review.rescreen import intakes_rescreen
from screening.setup.forms import (
    DraftConditionForm,
    DraftConditionFormSet,
    DraftExampleForm,
    DraftExampleFormSet,
    DraftForm,
)
from screening.setup.views import export_response, import_view, preview_view

PUBLISH_PERMISSION = "questionnaire.publish_ruledraft"


def _pretty_json(value) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


def _url(model_admin: admin.ModelAdmin, view, route: str, name: str):
    """A custom admin URL that also answers the project's URL walk like the admin's own pages."""
    wrapped = model_admin.admin_site.admin_view(view)
    wrapped.model_admin = model_admin  # type: ignore[attr-defined]
    opts = model_admin.model._meta
    return path(route, wrapped, name=f"{opts.app_label}_{opts.model_name}_{name}")


def _missing(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponseRedirect:
    """What the admin does for an unknown object: back to the list, with a message."""
    return model_admin._get_obj_does_not_exist_redirect(request, model_admin.model._meta, object_id)


class RuleRevisionInline(admin.TabularInline):
    model = RuleRevision
    fields = ["number", "source", "published_by", "published_at", "note", "link"]
    readonly_fields = fields
    ordering = ["-number"]
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description="definition")
    def link(self, obj: RuleRevision) -> str:
        url = reverse("admin:questionnaire_rulerevision_change", args=[obj.pk])
        return format_html('<a href="{}">view</a>', url)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """Published rules, read-only: "Start a change" opens a draft."""

    list_display = ["code", "name", "severity", "treatments_shown", "active", "revision", "flagged_recently_shown",
                    "open_draft"]
    list_filter = ["severity", "active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "severity", "treatments_shown", "match", "conditions_shown", "staff_message",
              "patient_message", "examples_shown", "active", "revision", "updated_at"]
    readonly_fields = fields
    inlines = [RuleRevisionInline]
    actions = ["export_selected"]
    change_list_template = "setup/rule_change_list.html"
    change_form_template = "setup/rule_change_form.html"

    def get_queryset(self, request):
        open_draft = RuleDraft.objects.filter(rule=OuterRef("pk"), status=RuleDraft.Status.DRAFT).values("pk")[:1]
        return rules_with_recent_flags(super().get_queryset(request)).annotate(open_draft_id=Subquery(open_draft))

    @admin.display(description="treatments")
    def treatments_shown(self, obj: Rule) -> str:
        return ", ".join(obj.treatments) if obj.treatments else "all"

    @admin.display(description="intakes flagged (30 days)", ordering="flagged_recently")
    def flagged_recently_shown(self, obj: Rule) -> int:
        return obj.flagged_recently

    @admin.display(description="draft")
    def open_draft(self, obj: Rule) -> str:
        if not obj.open_draft_id:
            return ""
        url = reverse("admin:questionnaire_ruledraft_change", args=[obj.open_draft_id])
        return format_html('<a href="{}">open draft</a>', url)

    @admin.display(description="conditions")
    def conditions_shown(self, obj: Rule) -> str:
        joiner = " and " if obj.match == Rule.Match.ALL else " or "
        return joiner.join(describe_condition(c) for c in obj.conditions or [])

    @admin.display(description="examples")
    def examples_shown(self, obj: Rule) -> str:
        return format_html_join(
            "", "<div>{} ({}, {}) → {}</div>",
            ((json.dumps(e.get("answers")), e.get("treatment"), e.get("on_date"), e.get("expected"))
             for e in obj.examples or []),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Shown read-only: every field is, and changes go through drafts.
        hide = {"show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **hide})

    def has_delete_permission(self, request, obj=None) -> bool:
        # A live rule changes only through a draft and its publication (issue 17): retire it (a draft that
        # unticks "active") rather than delete it; its revisions and flags name it.
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:questionnaire_ruledraft_add")

    def save_model(self, request, obj, form, change) -> None:
        """Nothing to save: every field is read-only."""

    def get_urls(self):
        return [
            _url(self, self.export_view, "export/", "export"),
            _url(self, self.import_view, "import/", "import"),
            _url(self, self.start_change_view, "<path:object_id>/start-change/", "start_change"),
            *super().get_urls(),
        ]

    @admin.action(description="Export selected rules as JSON", permissions=["view"])
    def export_selected(self, request, queryset):
        return export_response(queryset.order_by("code"))

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return export_response()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        return import_view(self, request)

    def start_change_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        rule = self.get_object(request, object_id)
        if rule is None:
            return _missing(self, request, object_id)
        if request.method != "POST":
            return redirect("admin:questionnaire_rule_change", rule.pk)
        if not request.user.has_perm("questionnaire.add_ruledraft"):
            raise PermissionDenied
        draft = draft_start(rule=rule, by=request_actor(request))
        return redirect("admin:questionnaire_ruledraft_change", draft.pk)


class _DraftRowsInline(admin.TabularInline):
    """Conditions and examples follow the draft's permissions, and freeze once it is closed."""

    extra = 0

    def _may_edit(self, request, obj) -> bool:
        if obj is None:
            return request.user.has_perm("questionnaire.add_ruledraft")
        return obj.is_open and request.user.has_perm("questionnaire.change_ruledraft")

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("questionnaire.view_ruledraft") or self._may_edit(request, obj)


class DraftConditionInline(_DraftRowsInline):
    model = DraftCondition
    form = DraftConditionForm
    formset = DraftConditionFormSet
    verbose_name = "condition"
    verbose_name_plural = "conditions (joined by the match above)"

    def get_extra(self, request, obj=None, **kwargs) -> int:
        return 1 if obj is None else 0


class DraftExampleInline(_DraftRowsInline):
    model = DraftExample
    form = DraftExampleForm
    formset = DraftExampleFormSet
    verbose_name_plural = "examples (the outcome the whole rule set must give)"


@admin.register(RuleDraft)
class RuleDraftAdmin(admin.ModelAdmin):
    """Proposed changes: edit, preview against recent intakes, then publish."""

    form = DraftForm
    inlines = [DraftConditionInline, DraftExampleInline]
    list_display = ["code", "kind", "status", "created_by", "updated_at"]
    list_filter = ["status"]
    search_fields = ["code", "name"]
    change_form_template = "setup/draft_change_form.html"
    actions = None

    class Media:
        js = ["setup/conditions.js"]

    @admin.display(description="change to")
    def kind(self, obj: RuleDraft) -> str:
        return f"rule revision {obj.base_revision}" if obj.rule_id else "a new rule"

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None and obj.rule_id else []

    def save_model(self, request, obj: RuleDraft, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and not obj.is_open:
            return False  # published and discarded drafts are the record: view only
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # discard instead: the draft stays, for the record

    def _to_preview(self, request, obj, response):
        if "_continue" in request.POST or "_addanother" in request.POST or "_saveasnew" in request.POST:
            return response
        return redirect("admin:questionnaire_ruledraft_preview", obj.pk)

    def response_add(self, request, obj, post_url_continue=None):
        return self._to_preview(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._to_preview(request, obj, super().response_change(request, obj))

    def get_urls(self):
        return [
            _url(self, self.preview_view, "<path:object_id>/preview/", "preview"),
            _url(self, self.publish_view, "<path:object_id>/publish/", "publish"),
            _url(self, self.discard_view, "<path:object_id>/discard/", "discard"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        draft = self.get_object(request, object_id)
        if draft is None:
            return _missing(self, request, object_id)
        if not self.has_view_or_change_permission(request, draft):
            raise PermissionDenied
        return preview_view(self, request, draft)

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        draft = self.get_object(request, object_id)
        if draft is None:
            return _missing(self, request, object_id)
        if request.method != "POST":
            return redirect("admin:questionnaire_ruledraft_preview", draft.pk)
        if not request.user.has_perm(PUBLISH_PERMISSION):
            raise PermissionDenied
        try:
            revision = draft_publish(draft=draft, by=request_actor(request))
        except RulesAdminError as error:
            messages.error(request, "Not published: " + " ".join(error.problems))
            return redirect("admin:questionnaire_ruledraft_preview", draft.pk)
        messages.success(request, f"Published {revision.rule.code} revision {revision.number}.")
        return redirect("admin:questionnaire_rule_change", revision.rule_id)

    def discard_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        draft = self.get_object(request, object_id)
        if draft is None:
            return _missing(self, request, object_id)
        if request.method != "POST":
            return redirect("admin:questionnaire_ruledraft_change", draft.pk)
        if not self.has_change_permission(request, draft):
            raise PermissionDenied
        try:
            draft_discard(draft=draft, by=request_actor(request))
        except RulesAdminError as error:
            messages.error(request, " ".join(error.problems))
        else:
            messages.success(request, f"Discarded the draft of {draft.code}.")
        return redirect("admin:questionnaire_ruledraft_changelist")


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RuleRevision)
class RuleRevisionAdmin(ReadOnlyAdmin):
    """Every published definition of every rule, frozen; flags name one by code and number."""

    list_display = ["rule", "number", "source", "published_by", "published_at", "note"]
    list_filter = ["source"]
    search_fields = ["rule__code"]
    list_select_related = ["rule", "published_by"]
    fields = ["rule", "number", "source", "note", "published_by", "published_at", "draft", "definition_shown"]
    readonly_fields = fields

    @admin.display(description="definition")
    def definition_shown(self, obj: RuleRevision) -> str:
        return _pretty_json(obj.definition)


class RescreenActionMixin:
    """For the intake admin: the permission behind the re-screen action."""

    def has_rescreen_permission(self, request) -> bool:
        return request.user.has_perm("review.rescreen_intake")


@admin.action(description="Re-screen against the current rules (adds a new screening)", permissions=["rescreen"])
def rescreen_intakes(modeladmin, request, queryset) -> None:
    report = intakes_rescreen(intake_ids=list(queryset.values_list("pk", flat=True)), by=request_actor(request))
    changed = sum(1 for _intake, before, after in report.rescreened if before != after)
    if report.rescreened:
        messages.success(
            request, f"Re-screened {len(report.rescreened)} intake(s): {changed} changed outcome. "
            "Their earlier screenings are kept."
        )
    for intake, why in report.skipped:
        messages.warning(request, f"Left {intake} alone: {why}.")


# The questionnaire's admin registers itself on import.
