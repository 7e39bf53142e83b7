"""The questionnaire in the admin: steps, questions, the medicine list, and the versions each change publishes.

Questions are retired (``active`` unticked), never deleted: intakes hold
answers to them and versions list them. After every save a new version is
published if anything changed, and the admin is told about rules that now
refer to a missing question.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.utils.html import format_html

from screening.core.client_ip import request_actor
from screening.questionnaire.models import MedicineTerm, Question, QuestionnaireVersion, Step
from screening.questionnaire.versions import questionnaire_publish
from screening.setup.forms import LabelledRowsFormSet, QuestionForm
from screening.setup.wording_admin import QuestionWordingInline, StepWordingInline


def publish_and_report(request) -> None:
    """Publish a version if the questionnaire changed; warn about rules it leaves behind."""
    version, created = questionnaire_publish(by=request_actor(request))
    if not created:
        return
    messages.info(request, f"Published questionnaire version {version.number}: new intakes answer it.")
    for problem in version.rule_problems:
        messages.warning(
            request,
            f"Rule {problem['rule']} refers to a question that is missing or no longer fits: "
            f"{' '.join(problem['problems'])} It flags every intake for review until it is changed.",
        )


class _PublishesVersions(admin.ModelAdmin):
    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        publish_and_report(request)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        publish_and_report(request)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        publish_and_report(request)


class QuestionInline(admin.TabularInline):
    model = Question
    formset = LabelledRowsFormSet
    fields = ["order", "code", "type", "label", "required", "active"]
    extra = 0
    show_change_link = True
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return ["code", "type"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # new questions on their own page, where choices and show-when are checked


@admin.register(Step)
class StepAdmin(_PublishesVersions):
    list_display = ["number", "title"]
    inlines = [QuestionInline, StepWordingInline]


@admin.register(Question)
class QuestionAdmin(_PublishesVersions):
    form = QuestionForm
    list_display = ["code", "step", "order", "type", "kind", "required", "active"]
    list_filter = ["step", "type", "kind", "required", "active", "asked_again"]
    search_fields = ["code", "label"]
    inlines = [QuestionWordingInline]
    fieldsets = [
        (None, {"fields": ["code", "step", "order", "type", "kind", "label", "help_text", "required", "active",
                           "asked_again"]}),
        ("Choices", {"fields": ["choices_text"]}),
        ("Show only when", {"fields": ["show_when_question", "show_when_value"],
                            "description": "Another question's answer: true/false for a yes/no question, "
                                           'a choice code in quotes ("uncontrolled") for a choice question.'}),
        ("Checks", {"fields": ["max_length", "must_be_true", "past_only", "allow_never", "never_label",
                               "allow_month", "allow_not_sure"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Rules, answers and exports refer to the code: it never changes.
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # retire it (untick active) instead


@admin.register(MedicineTerm)
class MedicineTermAdmin(_PublishesVersions):
    """The medicines and allergens free-text answers are read for (MEDICINE_MENTIONED, MEDICINES_LISTED).

    The list is part of the published questionnaire: a change publishes a new
    version, and every process screens with it from its next request.
    """

    list_display = ["term", "term_class", "aliases", "active"]
    list_filter = ["term_class", "active"]
    search_fields = ["term", "aliases", "source"]
    fields = ["term", "term_class", "aliases", "source", "active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # untick active instead: past versions list the term


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
