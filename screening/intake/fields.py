"""A question of the questionnaire as form fields, drawn by templates.

``question_fields`` turns one ``Question`` into its fields (a date that may be
"never" gets a second one, its box). The question's type picks the field, its
kind (email, names, phone...) the checks and the browser's autofill. Every
field names its template (``templates/intake/fields/``: Bootstrap 5 markup,
a fieldset and legend for radios and check boxes), which the page includes
(``intake/_question.html``). The templates write the inputs from what
Django's widgets make of them (``PatientBoundField.input`` and ``.options``):
values, checked states, ids, ``required`` and the aria attributes are Django's.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from screening.questionnaire.models import Question, QuestionKind, QuestionType
from screening.questionnaire.wordings import Wordings

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
NOT_SURE_CHOICE = ("not_sure", _("Not sure"))
NEVER_SUFFIX = "__never"
MONTH_SUFFIX = "__month"
DEFAULT_NEVER_LABEL = _("Never, or not in the last few years")
DEFAULT_TEXT_LIMIT = 500

INPUT_TEMPLATE = "intake/fields/input.html"
CHECKBOX_TEMPLATE = "intake/fields/checkbox.html"
CHOICES_TEMPLATE = "intake/fields/choices.html"

#: The attributes the field templates write: of an input (``fields/_attrs.html``), of a radio or check
#: box option (``fields/choices.html``). Django's widget templates would write whatever the widget has,
#: at about 0.13 ms an input (a renderer call, three nested templates, a loop); ours write these, and a
#: test holds every input of every question to them (tests/intake/test_fields.py).
INPUT_ATTRS = ("id", "class", "maxlength", "rows", "cols", "required", "checked", "autocomplete", "inputmode",
               "placeholder", "aria-invalid", "aria-describedby")
OPTION_ATTRS = ("id", "class", "required", "checked", "aria-invalid")

#: What the browser may fill in for each kind (HTML's autocomplete tokens: WCAG 1.3.5).
AUTOCOMPLETE = {
    QuestionKind.FIRST_NAME: "given-name",
    QuestionKind.LAST_NAME: "family-name",
    QuestionKind.DATE_OF_BIRTH: "bday",
    QuestionKind.EMAIL: "email",
    QuestionKind.PHONE: "tel",
}

# Digits with the usual separators, 6 to 15 digits (E.164 allows 15).
_PHONE = re.compile(r"\+?[0-9 ().-]+")
# A month as browsers send it (2026-11), or as typed where there is no month picker (11/2026, 11 2026).
_MONTH = re.compile(r"\s*(?:([0-9]{4})-([0-9]{1,2})|([0-9]{1,2})\s*[/. -]\s*([0-9]{4}))\s*")


class PatientBoundField(BoundField):
    """A field of the patient's pages: its inputs say ``is-invalid`` when it has errors (Bootstrap)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            widget = widget or self.field.widget
            attrs["class"] = f"{attrs.get('class', widget.attrs.get('class', ''))} is-invalid".lstrip()
        return attrs

    @cached_property
    def widget_context(self) -> dict[str, Any]:
        """What Django's widget would draw: ``get_context`` with the attributes ``as_widget`` gives it."""
        widget = self.field.widget
        attrs = self.build_widget_attrs({}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.auto_id)
        return widget.get_context(self.html_name, self.value(), attrs)["widget"]

    @cached_property
    def input(self) -> dict[str, Any]:
        """The field's input: type (None for a textarea), name, value, and each of ``INPUT_ATTRS``
        (``-`` written ``_``; None when it has not got it)."""
        context = self.widget_context
        return {"type": context.get("type"), "name": context["name"], "value": context["value"],
                **_attributes(context["attrs"], INPUT_ATTRS)}

    @cached_property
    def options(self) -> list[dict[str, Any]]:
        """Radios' or check boxes' options as Django's widget makes them (``subwidgets``): type, name,
        value, label, and each of ``OPTION_ATTRS``."""
        return [
            {"type": data["type"], "name": data["name"], "value": data["value"], "label": data["label"],
             **_attributes(data["attrs"], OPTION_ATTRS)}
            for data in (option.data for option in self.subwidgets)
        ]

    @property
    def anchor(self) -> str:
        """The id an error summary links to: the field's input, or its first option."""
        widget = self.field.widget
        several = isinstance(widget, forms.RadioSelect)  # CheckboxSelectMultiple included
        return f"{self.auto_id}_0" if several else self.auto_id


def _attributes(attrs: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name.replace("-", "_"): attrs.get(name) for name in names}


class PatientErrorList(ErrorList):
    """A field's errors under ``<id>_error``, the id its input's aria-describedby names."""

    template_name = "intake/fields/errors.html"


class PatientForm(forms.Form):
    """A form of the patient's pages: fields and errors drawn by the project's templates."""

    default_renderer = TemplatesSetting
    bound_field_class = PatientBoundField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_class", PatientErrorList)
        super().__init__(*args, **kwargs)


class TelInput(forms.TextInput):
    input_type = "tel"


def is_phone_number(value: str) -> bool:
    return bool(_PHONE.fullmatch(value)) and 6 <= sum(c.isdigit() for c in value) <= 15


class MonthField(forms.CharField):
    """A month and year: ``"2026-11"`` (what ``<input type="month">`` sends), or typed as 11/2026."""

    widget = forms.TextInput

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        found = _MONTH.fullmatch(value)
        if not found:
            raise forms.ValidationError(_("Please enter the month and year, for example 11/2026."), code="invalid")
        year, month = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        if not 1 <= int(month) <= 12:
            raise forms.ValidationError(_("Please enter a real month (1 to 12)."), code="invalid")
        return f"{int(year):04d}-{int(month):02d}"


def question_fields(q: Question, words: Wordings | None = None) -> dict[str, forms.Field]:
    """The form fields of a question, by name: its code (and ``<code>__never`` for a date that may be never),
    in the words of the patient's language (``words``; the English where the clinic has no translation)."""
    words = words or Wordings()
    # Required questions say so (label asterisk, aria); a follow-up shown
    # only on a condition is checked in the form's clean() instead.
    required = q.required and not q.show_when_question and not (q.type == QuestionType.DATE and q.allow_never)
    messages = {"required": _("Please tick to confirm you have read this.") if q.must_be_true
                else _("Please answer this question.")}
    common = {"label": words.label(q), "help_text": words.help_text(q), "required": required,
              "error_messages": messages}
    autocomplete = {"autocomplete": AUTOCOMPLETE[q.kind]} if q.kind in AUTOCOMPLETE else {}
    if q.type == QuestionType.YES_NO and q.must_be_true:
        return {q.code: _checkbox(forms.BooleanField(**common))}
    if q.type == QuestionType.YES_NO:
        choices = [*YES_NO, NOT_SURE_CHOICE] if q.allow_not_sure else YES_NO
        return {q.code: _choices(forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common))}
    if q.type == QuestionType.DATE:
        messages["invalid"] = _("Please enter a real date (day, month and year).")
        widget = forms.DateInput(attrs={"type": "date", **autocomplete}, format="%Y-%m-%d")
        fields = {q.code: _input(forms.DateField(widget=widget, input_formats=["%Y-%m-%d"], **common))}
        if q.allow_month:
            # Patients often know the month, not the day: the month picker, or typed where there is none.
            month = MonthField(required=False, label=_("Or, if you only remember the month: month and year"),
                               widget=forms.TextInput(attrs={"type": "month", "placeholder": "MM/YYYY"}))
            fields[q.code + MONTH_SUFFIX] = _input(month)
        if q.allow_never:
            # "Last time" questions: a date, or "never / not applicable".
            never = forms.BooleanField(required=False, label=words.never_label(q, DEFAULT_NEVER_LABEL))
            fields[q.code + NEVER_SUFFIX] = _checkbox(never)
        return fields
    if q.type in (QuestionType.CHOICE, QuestionType.MULTI):
        choices = words.choices(q)
        if q.type == QuestionType.CHOICE:
            messages["invalid_choice"] = _("Please choose one of the options shown.")
            return {q.code: _choices(forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common))}
        messages["invalid_choice"] = _("Please choose only from the options shown.")
        return {q.code: _choices(forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple,
                                                            **common))}
    limit = q.max_length or DEFAULT_TEXT_LIMIT
    if q.kind == QuestionKind.EMAIL:
        return {q.code: _input(forms.EmailField(max_length=limit, widget=forms.EmailInput(attrs=autocomplete),
                                                **common))}
    if q.kind == QuestionKind.PHONE:
        widget = TelInput(attrs={"inputmode": "tel", **autocomplete})
    elif limit > 200 and not autocomplete:
        widget = forms.Textarea(attrs={"rows": 3})
    else:
        widget = forms.TextInput(attrs=autocomplete)
    return {q.code: _input(forms.CharField(max_length=limit, widget=widget, **common))}


def tick_field(*, label: str, required_message: str) -> forms.BooleanField:
    """A required tick box drawn as the questions' own (e.g. staff confirming a patient's consent on the phone)."""
    return _checkbox(forms.BooleanField(label=label, required=True, error_messages={"required": required_message}))


def _input(field: forms.Field) -> forms.Field:
    field.template_name = INPUT_TEMPLATE
    field.widget.attrs["class"] = "form-control"
    return field


def _checkbox(field: forms.Field) -> forms.Field:
    field.template_name = CHECKBOX_TEMPLATE
    field.widget.attrs["class"] = "form-check-input"
    return field


def _choices(field: forms.Field) -> forms.Field:
    field.template_name = CHOICES_TEMPLATE
    field.widget.attrs["class"] = "form-check-input"
    return field
