"""The rule editor's words: the rule's name, its message for staff and its message for the patient,
in English and beside it in each other language, with the placeholders of docs/clinical-rules.md."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language_info

from screening.core.wording_models import translated_languages
from screening.questionnaire.draft_wordings import placeholder_problems


class RuleWordsForm(forms.Form):
    """The rule's name and messages, with the placeholders of docs/clinical-rules.md."""

    name = forms.CharField(label="Name", max_length=200)
    staff_message = forms.CharField(label="Message for staff", widget=forms.Textarea(attrs={"rows": 3}))
    patient_message = forms.CharField(
        label="Message for the patient", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Write {window} for the window (it follows it), {eligible_from} for the first date they can "
                  "book, {last_date} for the date they gave, {matched} for the medicines a text answer named.",
    )
    note = forms.CharField(label="Why this change (kept with the revision)", max_length=300, required=False)
    active = forms.BooleanField(
        label="The rule screens patients", required=False,
        help_text="Untick to retire it: once published it screens no one new; its history and past flags stay.")

    def __init__(self, *args: Any, translations: dict | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The patient's message in each other language, right after the English (issue 16).
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name == "patient_message":
                for code, _native in translated_languages():
                    language = get_language_info(code)["name"]
                    fields[f"patient_message_{code}"] = forms.CharField(
                        label=f"Message for the patient in {language}", required=False,
                        initial=((translations or {}).get(code) or {}).get("patient_message", ""),
                        widget=forms.Textarea(attrs={"rows": 3, "lang": code}),
                        help_text=f"The same placeholders as the English, filled in {language}. "
                                  "Empty: these patients read the English.")
        self.fields = fields
        for field in self.fields.values():
            checkbox = isinstance(field.widget, forms.CheckboxInput)
            field.widget.attrs["class"] = "form-check-input" if checkbox else "form-control"

    @property
    def translation_fields(self) -> list:
        return [self[f"patient_message_{code}"] for code, _native in translated_languages()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for code, _native in translated_languages():
            name = f"patient_message_{code}"
            for problem in placeholder_problems(cleaned.get(name, "")):
                self.add_error(name, problem)
        return cleaned

    def translations(self) -> dict[str, dict[str, str]]:
        """{language: {"patient_message": text}} as typed (call after ``is_valid``)."""
        return {code: {"patient_message": self.cleaned_data.get(f"patient_message_{code}", "")}
                for code, _native in translated_languages()}
