"""Patient forms: the treatment choice and one form per questionnaire step.

A step form is built from the Question rows of that step, so the
questionnaire stays data. Cleaned values are JSON values as INTAKE.md
defines them (yes_no -> bool, date -> "YYYY-MM-DD" or None, ...).
"""

from __future__ import annotations

import datetime as dt
import html
import re

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeData, SafeString, mark_safe

from screening.core.models import Treatment
from screening.questionnaire.models import Question, QuestionType

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
        # The staff's answers page still renders a StepForm through crispy-forms.
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
                widget = forms.EmailInput(attrs={**attrs, "autocomplete": "email"})
                field = forms.EmailField(max_length=limit, widget=widget, **common)
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
            never = q.type == QuestionType.DATE and value is None and self.cleaned_data.get(q.code + NEVER_SUFFIX)
            if value not in ("", [], None) or never:
                keep[q.code] = value
        return keep


def fields_for_question(form: StepForm, q: Question) -> list:
    names = [q.code]
    if q.code + NEVER_SUFFIX in form.fields:
        names.append(q.code + NEVER_SUFFIX)
    return [form[name] for name in names]


# -- rendering ------------------------------------------------------------------------------------
# A step's fields, written out directly instead of through crispy-forms'
# template pack, which cost about half a millisecond a field (a stack of
# included templates per field and per option). The markup is the bootstrap5
# pack's, element for element: the label (a fieldset and legend for radios and
# check boxes), the asterisk of a required question, the input with Django's
# own attributes (required, aria-invalid, aria-describedby linking help text
# and errors), the errors under their ids (``<id>_error``), the help text
# (``<id>_helptext``). Values, checked states and attributes still come from
# the widgets themselves (get_context, optgroups), so they are Django's.
# tests/perf/test_step_markup.py compares it with crispy's, field by field.


def render_question(form: StepForm, q: Question) -> SafeString:
    """The fields of one question (a date's "never" box after the date), as HTML."""
    return mark_safe("".join(render_field(bf) for bf in fields_for_question(form, q)))


def render_field(bf: BoundField) -> str:
    widget = bf.field.widget
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple included
        return _choice_field(bf)
    if isinstance(widget, forms.CheckboxInput):
        return _checkbox_field(bf)
    return _input_field(bf)


def _esc(value) -> str:
    """Django's conditional_escape (same output), without its lazy-string wrapper: it runs ~150 times a page."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def _flat(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: True is a bare attribute, False leaves it out."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_esc(name)}" if value is True else f' {_esc(name)}="{_esc(str(value))}"')
    return "".join(out)


def _crispy_class(widget: forms.Widget, extra: str) -> str:
    """The class crispy's ``crispy_field`` gives an input: the widget's kind, then Bootstrap's."""
    kind = type(widget).__name__.lower()
    css = widget.attrs.get("class", "")
    css = (css + " " + kind if kind not in css else css) if css else kind
    present = css.split()
    return " ".join([css, *[c for c in extra.split() if c not in present]])


def _widget_html(bf: BoundField, css: str) -> str:
    """What ``bf.as_widget()`` renders, with crispy's class, without the widget templates."""
    widget = bf.field.widget
    attrs = bf.build_widget_attrs({"class": css}, widget)
    if bf.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bf.auto_id)
    context = widget.get_context(bf.html_name, bf.value(), attrs)["widget"]
    if isinstance(widget, forms.Textarea):
        value = context["value"]
        return (f'<textarea name="{_esc(context["name"])}"{_flat(context["attrs"])}>\n'
                f'{_esc(value) if value else ""}</textarea>')
    value = context["value"]
    value_attr = f' value="{_esc(str(value))}"' if value is not None else ""
    return f'<input type="{_esc(context["type"])}" name="{_esc(context["name"])}"{value_attr}{_flat(context["attrs"])}>'


def _errors(bf: BoundField, tag: str) -> str:
    errors = bf.errors
    if not errors:
        return ""
    auto_id = bf.auto_id
    items = "".join(f'<{tag} id="error_{n}_{auto_id}"><strong>{_esc(e)}</strong></{tag}>'
                    for n, e in enumerate(errors, 1))
    return f'<div id="{errors.field_id}_error" class="invalid-feedback">{items}</div>'


def _help(bf: BoundField) -> str:
    # Help text is the clinic admin's, shown as Django and crispy show it (not escaped).
    if not bf.help_text:
        return ""
    id_attr = f'id="{bf.auto_id}_helptext" ' if bf.auto_id else ""
    return f"<div {id_attr}class=\"form-text\">{bf.help_text}</div>"


def _required_mark(bf: BoundField) -> tuple[str, str]:
    return (" requiredField", '<span class="asteriskField">*</span>') if bf.field.required else ("", "")


def _wrapper_class(bf: BoundField, base: str) -> str:
    extra = bf.css_classes()
    return f"{base} {extra}" if extra else base


def _input_field(bf: BoundField) -> str:
    """Text, email, date and long text: label, input, errors, help."""
    required_class, mark = _required_mark(bf)
    label = ""
    if bf.label:
        for_attr = f'for="{bf.id_for_label}" ' if bf.id_for_label else ""
        label = f'<label {for_attr}class="form-label{required_class}">{_esc(bf.label)}{mark}</label>'
    css = _crispy_class(bf.field.widget, "form-control is-invalid" if bf.errors else "form-control")
    return (f'<div id="div_{bf.auto_id}" class="{_wrapper_class(bf, "mb-3")}">{label}'
            f'{_widget_html(bf, css)}{_errors(bf, "span")}{_help(bf)}</div>')


def _checkbox_field(bf: BoundField) -> str:
    """One box to tick (a consent, "never"): the box, its label after it, errors, help."""
    required_class, mark = _required_mark(bf)
    css = _crispy_class(bf.field.widget, "form-check-input is-invalid" if bf.errors else "form-check-input")
    return (f'<div class="mb-3"><div id="div_{bf.auto_id}" class="{_wrapper_class(bf, "form-check")}">'
            f'{_widget_html(bf, css)}'
            f'<label for="{bf.id_for_label}" class="form-check-label{required_class}">{_esc(bf.label)}{mark}</label>'
            f'{_errors(bf, "span")}{_help(bf)}</div></div>')


def _choice_field(bf: BoundField) -> str:
    """Radios or check boxes: a fieldset whose legend is the question, one input per option."""
    widget = bf.field.widget
    required_class, mark = _required_mark(bf)
    head = tail = ""
    if bf.label:
        described = bf.aria_describedby
        described_attr = f' aria-describedby="{described}"' if described else ""
        head = (f"<fieldset{described_attr}>"
                f'<legend class="form-label{required_class} fs-6">{_esc(bf.label)}{mark}</legend>')
        tail = "</fieldset>"
    id_ = widget.attrs.get("id") or bf.auto_id
    attrs = bf.build_widget_attrs({"id": id_} if id_ else {})
    groups = widget.optgroups(bf.html_name, widget.format_value(bf.value()), attrs)
    input_class = "form-check-input is-invalid" if bf.errors else "form-check-input"
    name = _esc(bf.html_name)
    out = []
    for g, (group, options, _index) in enumerate(groups):
        if group:
            out.append(f"<strong>{_esc(group)}</strong>")
        for o, option in enumerate(options):
            last = o == len(options) - 1 and g == len(groups) - 1
            out.append(
                f'<div class="form-check"><input type="{option["type"]}" class="{input_class}" name="{name}"'
                f' value="{_esc(str(option["value"]))}"{_flat(option["attrs"])}>'
                f'<label for="{_esc(option["attrs"].get("id", ""))}" class="form-check-label">'
                f'{_esc(str(option["label"]))}</label>'
                f'{_errors(bf, "p") if last else ""}</div>'
            )
    return (f'<div id="div_{bf.auto_id}" class="{_wrapper_class(bf, "mb-3")}">{head}'
            f'<div>{"".join(out)}</div>{_help(bf)}{tail}</div>')


class ReplyForm(forms.Form):
    """The patient's own words beside their updated answers."""

    reply = forms.CharField(
        label="Your reply to the clinician (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
