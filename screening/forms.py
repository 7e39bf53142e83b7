"""Patient forms: the treatment choice and one form per questionnaire step.

A step form is built from the Question rows of that step, so the
questionnaire stays data. Cleaned values are JSON values as INTAKE.md
defines them (yes_no -> bool, date -> "YYYY-MM-DD" or None, ...).
"""

from __future__ import annotations

import datetime as dt
import re

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from screening.models import Question, QuestionType, Treatment

YES_NO = [("yes", "Yes"), ("no", "No")]
NEVER_SUFFIX = "__never"
DEFAULT_TEXT_LIMIT = 500


class TreatmentForm(forms.Form):
    treatment = forms.ModelChoiceField(
        queryset=Treatment.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which treatment are you interested in?",
        error_messages={"required": "Please choose a treatment.",
                        "invalid_choice": "Please choose one of the treatments listed."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatment"].label_from_instance = (
            lambda t: f"{t.name}" + (f" — {t.description}" if t.description else "")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label="Your email address",
        help_text="We will email you a new link if we find an unfinished form or a booking for this address.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def _normalise_name(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip().casefold()


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


class StepForm(forms.Form):
    """The questions of one step. ``answers`` are the intake's saved answers."""

    def __init__(self, *args, questions: list[Question], answers: dict, **kwargs):
        self.questions = questions
        self.saved_answers = answers
        kwargs.setdefault("initial", self._initial_from(answers))
        super().__init__(*args, **kwargs)
        for question in questions:
            self._add_field(question)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    # -- building -----------------------------------------------------------------
    def _initial_from(self, answers: dict) -> dict:
        initial = {}
        for q in self.questions:
            if q.code not in answers:
                continue
            value = answers[q.code]
            if q.type == QuestionType.YES_NO and value is not None:
                initial[q.code] = "yes" if value else "no"
            elif q.type == QuestionType.DATE:
                if value is None:
                    initial[q.code + NEVER_SUFFIX] = True
                else:
                    initial[q.code] = value
            elif q.must_be_true:
                initial[q.code] = bool(value)
            else:
                initial[q.code] = value
        return initial

    def _add_field(self, q: Question) -> None:
        attrs = {}
        if q.show_when_question:
            attrs["data-show-when"] = q.show_when_question
            attrs["data-show-value"] = self._show_value_token(q.show_when_value)
        # Required questions say so (label asterisk, aria); a follow-up shown
        # only on a condition is checked in clean() instead.
        required = q.required and not q.show_when_question and not (q.type == QuestionType.DATE and q.allow_never)
        common = {
            "label": q.label, "help_text": q.help_text, "required": required,
            "error_messages": {"required": "Please tick to confirm you have read this." if q.must_be_true
                               else "Please answer this question."},
        }
        if q.type == QuestionType.YES_NO and q.must_be_true:
            field = forms.BooleanField(**common, widget=forms.CheckboxInput(attrs=attrs))
        elif q.type == QuestionType.YES_NO:
            field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect(attrs=attrs), **common)
        elif q.type == QuestionType.DATE:
            field = forms.DateField(
                widget=forms.DateInput(attrs={**attrs, "type": "date"}, format="%Y-%m-%d"),
                input_formats=["%Y-%m-%d"],
                **{**common, "error_messages": {**common["error_messages"],
                                                "invalid": "Please enter a real date (day, month and year)."}},
            )
            if q.allow_never:
                # "Last time" questions: a date, or "never / not applicable".
                self.fields[q.code] = field
                self.fields[q.code + NEVER_SUFFIX] = forms.BooleanField(
                    required=False,
                    label="Never, or not in the last few years",
                    widget=forms.CheckboxInput(attrs=attrs),
                )
                return
        elif q.type == QuestionType.CHOICE:
            field = forms.ChoiceField(
                choices=[(c["code"], c["label"]) for c in q.choices],
                widget=forms.RadioSelect(attrs=attrs),
                **{**common, "error_messages": {**common["error_messages"],
                                                "invalid_choice": "Please choose one of the options shown."}},
            )
        elif q.type == QuestionType.MULTI:
            field = forms.MultipleChoiceField(
                choices=[(c["code"], c["label"]) for c in q.choices],
                widget=forms.CheckboxSelectMultiple(attrs=attrs),
                **{**common, "error_messages": {**common["error_messages"],
                                                "invalid_choice": "Please choose only from the options shown."}},
            )
        else:
            limit = q.max_length or DEFAULT_TEXT_LIMIT
            widget = forms.Textarea(attrs={**attrs, "rows": 3}) if limit > 200 else forms.TextInput(attrs=attrs)
            if q.code == "email":
                field = forms.EmailField(max_length=limit, widget=forms.EmailInput(attrs={**attrs, "autocomplete": "email"}), **common)
            else:
                field = forms.CharField(max_length=limit, widget=widget, **common)
        self.fields[q.code] = field

    @staticmethod
    def _show_value_token(value) -> str:
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return str(value)

    # -- validation ---------------------------------------------------------------
    def _is_shown(self, q: Question, values: dict) -> bool:
        if not q.show_when_question:
            return True
        current = values.get(q.show_when_question, self.saved_answers.get(q.show_when_question))
        return current == q.show_when_value

    def clean(self):
        cleaned = super().clean()
        values: dict = {}
        for q in self.questions:
            if q.code in self.errors:
                continue
            values[q.code] = self._json_value(q, cleaned)
        for q in self.questions:
            if q.code in self.errors:
                continue
            if not self._is_shown(q, values):
                values[q.code] = "__hidden__"
                continue
            self._check(q, values)
        self.answers = {k: v for k, v in values.items() if v != "__hidden__"}
        self.hidden = [k for k, v in values.items() if v == "__hidden__"]
        return cleaned

    def _json_value(self, q: Question, cleaned: dict):
        raw = cleaned.get(q.code)
        if q.type == QuestionType.YES_NO:
            if q.must_be_true:
                return bool(raw)
            return {"yes": True, "no": False}.get(raw)
        if q.type == QuestionType.DATE:
            if cleaned.get(q.code + NEVER_SUFFIX) and raw is None:
                return None
            return raw.isoformat() if raw else ""
        if q.type == QuestionType.MULTI:
            return list(raw or [])
        return (raw or "").strip()

    def _check(self, q: Question, values: dict) -> None:
        value = values[q.code]
        missing = value in ("", [], None) and not (q.type == QuestionType.DATE and value is None)
        if q.type == QuestionType.YES_NO and value is None:
            missing = True
        if q.type == QuestionType.DATE and value is None and not self._has_never(q):
            missing = True
        if q.must_be_true and value is not True:
            self.add_error(q.code, "Please tick to confirm you have read this.")
            return
        if q.required and missing and q.type != QuestionType.MULTI:
            if q.type == QuestionType.DATE and self._has_never(q):
                self.add_error(q.code, "Please enter a date, or tick “Never”.")
            else:
                self.add_error(q.code, "Please answer this question.")
            return
        if q.type == QuestionType.DATE and value:
            day = dt.date.fromisoformat(value)
            if q.past_only and day > _today():
                self.add_error(q.code, "This date is in the future. Please check it.")
            elif day.year < 1900:
                self.add_error(q.code, "Please check the year.")
            elif self.cleaned_data.get(q.code + NEVER_SUFFIX):
                self.add_error(q.code, "Please either enter a date or tick “Never”, not both.")
        if q.code == "consent_signature" and value:
            first = values.get("first_name", self.saved_answers.get("first_name", ""))
            last = values.get("last_name", self.saved_answers.get("last_name", ""))
            if _normalise_name(value) != _normalise_name(f"{first} {last}"):
                self.add_error(
                    q.code,
                    f"Please type your full name exactly as you gave it: {first} {last}.",
                )

    def shown_on_load(self, q: Question) -> bool:
        """Whether a follow-up question starts visible (the script then toggles it)."""
        if not q.show_when_question:
            return True
        if self.is_bound and q.show_when_question in self.fields:
            raw = self.data.get(q.show_when_question)
            value = {"yes": True, "no": False}.get(raw, raw)
        else:
            value = self.saved_answers.get(q.show_when_question)
        return value == q.show_when_value

    def _has_never(self, q: Question) -> bool:
        return q.code + NEVER_SUFFIX in self.fields

    def valid_partial_answers(self) -> dict:
        """On "Back", the answers that passed validation, to keep them."""
        keep = {}
        for q in self.questions:
            if q.code in self.errors or q.code not in getattr(self, "cleaned_data", {}):
                continue
            value = self._json_value(q, self.cleaned_data)
            if value not in ("", [], None) or q.type == QuestionType.DATE and value is None and self.cleaned_data.get(q.code + NEVER_SUFFIX):
                keep[q.code] = value
        return keep


def fields_for_question(form: StepForm, q: Question) -> list:
    names = [q.code]
    if q.code + NEVER_SUFFIX in form.fields:
        names.append(q.code + NEVER_SUFFIX)
    return [form[name] for name in names]
