"""The questionnaire's other languages in the set-up (issue 16): an inline beside the English of each step,
question and rule. A blank field shows the patient the English (``screening.questionnaire.wordings``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from screening.questionnaire.models import QuestionWording, RuleWording, StepWording


class StepWordingInline(admin.StackedInline):
    model = StepWording
    fields = ["language", "title", "intro"]
    extra = 0
    verbose_name = "the step in another language"
    verbose_name_plural = "The step in other languages (blank: the patient reads the English)"


class QuestionWordingForm(forms.ModelForm):
    """A question's words in another language; its answers' labels one a line, "code: label"."""

    choice_lines = forms.CharField(
        label="Answers' labels", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One line per answer: its code, a colon, the label in this language (e.g. “none: No”). "
                  "An answer left out shows its English label.",
    )

    class Meta:
        model = QuestionWording
        fields = ["language", "label", "help_text", "never_label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = self.instance.choice_labels if isinstance(self.instance.choice_labels, dict) else {}
        self.fields["choice_lines"].initial = "\n".join(f"{code}: {label}" for code, label in labels.items())

    def clean_choice_lines(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["choice_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            code, colon, label = line.partition(":")
            if not colon or not code.strip() or not label.strip():
                raise forms.ValidationError(f"Line {number}: write the answer's code, a colon, then its label.")
            labels[code.strip()] = label.strip()
        return labels

    def save(self, commit: bool = True):
        self.instance.choice_labels = self.cleaned_data.get("choice_lines") or {}
        return super().save(commit)


class QuestionWordingInline(admin.StackedInline):
    model = QuestionWording
    form = QuestionWordingForm
    fields = ["language", "label", "help_text", "never_label", "choice_lines"]
    extra = 0
    verbose_name = "the question in another language"
    verbose_name_plural = "The question in other languages (blank: the patient reads the English)"


class RuleWordingInline(admin.StackedInline):
    model = RuleWording
    fields = ["language", "patient_message"]
    extra = 0
    verbose_name = "the patient's message in another language"
    verbose_name_plural = ("The patient's message in other languages, with the same {placeholders} "
                           "(blank: the English)")


@admin.register(RuleWording)
class RuleWordingAdmin(admin.ModelAdmin):
    """Each rule's message to the patient in another language, the English beside it.

    Its own page rather than an inline of the rule, whose page is read-only (changes go through drafts);
    a translation publishes nothing and changes no screening: it is read each time a patient's outcome shows.
    """

    list_display = ["rule", "language", "patient_message"]
    list_filter = ["language"]
    search_fields = ["rule__code", "patient_message"]
    fields = ["rule", "language", "english_message", "patient_message"]
    readonly_fields = ["english_message"]
    autocomplete_fields = []
    list_select_related = ["rule"]

    @admin.display(description="the English (as every patient reads it without a translation)")
    def english_message(self, obj: RuleWording) -> str:
        return obj.rule.patient_message if obj and obj.rule_id else "—"
