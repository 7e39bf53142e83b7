"""The questionnaire in the stock admin (superusers): steps, questions, the medicine list and the versions, to read.

Nothing here changes the questionnaire (issue 17): a question changes through a draft at
/staff/questions/ (previewed, then published as a new version), and the medicine list at
/staff/setup/medicine-terms/ (audited, publishing a version). Saving here would go live at once,
skipping the draft, so these pages refuse to add, change or delete, even for superusers.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html

from screening.questionnaire.models import MedicineTerm, Question, QuestionnaireVersion, Step
from screening.setup.wording_admin import QuestionWordingInline, StepWordingInline


class ReadOnlyHere(admin.ModelAdmin):
    """Shown, never changed: the page points to where the change is made."""

    change_form_template = "setup/admin_read_only_change_form.html"
    change_list_template = "setup/admin_read_only_change_list.html"
    actions = None
    #: (the page's words, its URL name) for where this is changed.
    changed_at = ("Questions, through a draft", "questions:list")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _pointer(self, extra_context) -> dict:
        return {**(extra_context or {}), "changed_at": self.changed_at}

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, self._pointer(extra_context))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, self._pointer(extra_context))


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["order", "code", "type", "label", "required", "active"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class _ReadOnlyWordings:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class StepWordingShown(_ReadOnlyWordings, StepWordingInline):
    pass


class QuestionWordingShown(_ReadOnlyWordings, QuestionWordingInline):
    pass


@admin.register(Step)
class StepAdmin(ReadOnlyHere):
    list_display = ["number", "title"]
    fields = ["number", "title", "intro"]
    inlines = [QuestionInline, StepWordingShown]


@admin.register(Question)
class QuestionAdmin(ReadOnlyHere):
    list_display = ["code", "step", "order", "type", "kind", "required", "active"]
    list_filter = ["step", "type", "kind", "required", "active", "asked_again"]
    search_fields = ["code", "label"]
    inlines = [QuestionWordingShown]
    fields = ["code", "step", "order", "type", "kind", "label", "help_text", "required", "active", "asked_again",
              "choices_shown", "show_when_question", "show_when_value", "max_length", "must_be_true", "past_only",
              "allow_never", "never_label", "allow_month", "allow_not_sure"]

    @admin.display(description="choices")
    def choices_shown(self, obj: Question) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.choices or [], indent=2, ensure_ascii=False))


@admin.register(MedicineTerm)
class MedicineTermAdmin(ReadOnlyHere):
    """The medicines and allergens free-text answers are read for (MEDICINE_MENTIONED, MEDICINES_LISTED)."""

    list_display = ["term", "term_class", "aliases", "active"]
    list_filter = ["term_class", "active"]
    search_fields = ["term", "aliases", "source"]
    fields = ["term", "term_class", "aliases", "source", "active"]
    changed_at = ("Medicine terms, in the set-up", "setup:terms")


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    """Published questionnaires, frozen: what each intake answered."""

    list_display = ["number", "published_at", "published_by", "question_count", "rule_problem_count"]
    fields = ["number", "published_at", "published_by", "note", "problems_shown", "definition_shown"]
    readonly_fields = fields
    actions = None

    @admin.display(description="questions")
    def question_count(self, obj: QuestionnaireVersion) -> int:
        return len(obj.definition.get("questions", []))

    @admin.display(description="rules referring to a missing question")
    def rule_problem_count(self, obj: QuestionnaireVersion) -> int:
        return len(obj.rule_problems or [])

    @admin.display(description="rule problems when published")
    def problems_shown(self, obj: QuestionnaireVersion) -> str:
        if not obj.rule_problems:
            return "none"
        return format_html("<pre>{}</pre>", json.dumps(obj.rule_problems, indent=2))

    @admin.display(description="steps and questions")
    def definition_shown(self, obj: QuestionnaireVersion) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.definition, indent=2, ensure_ascii=False))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
