"""The forms of the question drafts: a question's wording, help, answers and whether it must be answered,
in the manager's terms (answers by their wording; their codes, which rules read, are kept and made)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import get_language_info

from screening.core.wording_models import translated_languages
from screening.questionnaire.models import QuestionChange, QuestionType, Step

NEW_ANSWERS = 3
_CHOICE_TYPES = (QuestionType.CHOICE, QuestionType.MULTI)


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        else:
            widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"


class NewQuestionForm(forms.Form):
    step = forms.ModelChoiceField(label="Step", queryset=Step.objects.order_by("number"), empty_label="Choose…")
    label = forms.CharField(label="The question, as the patient reads it", max_length=300)
    type = forms.ChoiceField(label="Kind of answer", choices=[("", "Choose…"), *QuestionType.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)


class QuestionChangeForm(forms.Form):
    """One question's draft. Each existing answer is a box with its wording (empty it to remove the answer);
    new answers go in the empty boxes."""

    label = forms.CharField(label="The question, as the patient reads it", max_length=300)
    help_text = forms.CharField(label="Help under the question", max_length=500, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    step = forms.ModelChoiceField(label="Step", queryset=Step.objects.order_by("number"), empty_label=None)
    required = forms.BooleanField(label="The patient must answer it", required=False)
    active = forms.BooleanField(label="Asked (untick to retire the question; its answers stay)", required=False)
    note = forms.CharField(label="Why this change (kept with the version)", max_length=300, required=False)

    def __init__(self, *args: Any, change: QuestionChange, **kwargs: Any) -> None:
        self.change = change
        kwargs.setdefault("initial", {"label": change.label, "help_text": change.help_text, "step": change.step,
                                      "required": change.required, "active": change.active, "note": change.note})
        super().__init__(*args, **kwargs)
        self.translated = {code: (change.translations or {}).get(code) or {} for code, _n in translated_languages()}
        self._add_translations("label", 300, "The question in {language}")
        self._add_translations("help_text", 500, "Help in {language}", textarea=True)
        self.answer_names: list[str] = []
        if change.type in _CHOICE_TYPES:
            for choice in change.choices or []:
                name = f"answer_{choice['code']}"
                self.fields[name] = forms.CharField(label="Answer", max_length=200, required=False,
                                                    initial=choice.get("label", ""))
                self.answer_names += [name, *self._add_translations(name, 200, "The answer in {language}",
                                                                     choice=choice["code"])]
            for number in range(1, NEW_ANSWERS + 1):
                name = f"new_answer_{number}"
                self.fields[name] = forms.CharField(label=f"New answer {number}", max_length=200, required=False)
                self.answer_names += [name, *self._add_translations(name, 200, f"New answer {number} in {{language}}")]
        _styled(self)

    def _add_translations(self, english: str, max_length: int, label: str, *, textarea: bool = False,
                          choice: str | None = None) -> list[str]:
        """One box per other language for ``english``, filled with the draft's words (issue 16)."""
        names = []
        for code, _n in translated_languages():
            words = self.translated[code]
            initial = (words.get("choice_labels") or {}).get(choice, "") if choice else words.get(english, "")
            name = f"{english}_{code}"
            self.fields[name] = forms.CharField(
                label=label.format(language=get_language_info(code)["name"]), max_length=max_length,
                required=False, initial=initial,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}) if textarea else forms.TextInput(
                    attrs={"lang": code}))
            names.append(name)
        return names

    def translation_fields(self, english: str) -> list:
        return [self[f"{english}_{code}"] for code, _n in translated_languages()]

    @property
    def label_translations(self) -> list:
        return self.translation_fields("label")

    @property
    def help_text_translations(self) -> list:
        return self.translation_fields("help_text")

    def answer_fields(self) -> list:
        return [self[name] for name in self.answer_names]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.change.type not in _CHOICE_TYPES:
            return cleaned
        choices, codes = [], set()
        for choice in self.change.choices or []:
            label = (cleaned.get(f"answer_{choice['code']}") or "").strip()
            if label:
                choices.append({"code": choice["code"], "label": label, "field": f"answer_{choice['code']}"})
                codes.add(choice["code"])
        for number in range(1, NEW_ANSWERS + 1):
            label = (cleaned.get(f"new_answer_{number}") or "").strip()
            if not label:
                continue
            code = base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "answer"
            suffix = 2
            while code in codes:
                code, suffix = f"{base}_{suffix}", suffix + 1
            codes.add(code)
            choices.append({"code": code, "label": label, "field": f"new_answer_{number}"})
        # Each answer's words in the other languages, by the code it keeps (or was just given).
        self.choice_translations = {
            lang: {c["code"]: text for c in choices if (text := (cleaned.get(f"{c['field']}_{lang}") or "").strip())}
            for lang, _n in translated_languages()}
        choices = [{"code": c["code"], "label": c["label"]} for c in choices]
        labels = [c["label"].lower() for c in choices]
        if len(set(labels)) != len(labels):
            raise forms.ValidationError("Two answers have the same wording: each answer must read differently.")
        if len(choices) < 2:
            raise forms.ValidationError("A question with answers to choose from needs at least two answers.")
        cleaned["choices"] = choices
        return cleaned

    @property
    def fields_to_save(self) -> dict[str, Any]:
        data = self.cleaned_data
        saved = {name: data[name] for name in ("label", "help_text", "step", "required", "active", "note")}
        saved["choices"] = data.get("choices", self.change.choices)
        choice_words = getattr(self, "choice_translations", {})
        saved["translations"] = {
            code: {"label": data.get(f"label_{code}", ""), "help_text": data.get(f"help_text_{code}", ""),
                   "choice_labels": choice_words.get(code, self.translated[code].get("choice_labels") or {})}
            for code, _n in translated_languages()}
        return saved
