"""The plain-language rule editor's forms: conditions from the questions' wording, windows in days,
weeks or months, examples filled in with the questionnaire's own fields, dates in the clinic's format.

Nothing here is typed as JSON or as an ISO date. Each form turns what was
chosen into what the engine reads (``condition`` and ``example`` properties);
the rule as a whole is checked by the engine's ``validate_rule`` in the view's
service call, and every problem lands on the field it is about.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from screening.intake.fields import (
    CHECKBOX_TEMPLATE,
    INPUT_TEMPLATE,
    MONTH_SUFFIX,
    NEVER_SUFFIX,
    MonthField,
    PatientForm,
    question_fields,
)
from screening.questionnaire.models import Outcome, Question, QuestionType
from screening.questionnaire.windows import UNITS, window_days, window_parts
from screening.rules import OPERATORS

#: What the manager reads for each operator (the registry's words, without the "N" placeholder).
OPERATOR_WORDS = {
    "within_days": "is within this time before the appointment",
    "age_under": "makes the patient younger than (years) on the appointment date",
    "in": "is one of these answers",
    "contains_any": "includes any of these answers",
    "equals": "is this answer",
    "not_equals": "is not this answer",
}
_CLINIC_DATE = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
_DATE_ERRORS = {"invalid": "Enter the date as day/month/year, for example 17/07/2026."}


def _words(code: str) -> str:
    operator = OPERATORS[code]
    return OPERATOR_WORDS.get(code, operator.label)


def clinic_date_field(label: str, *, required: bool, help_text: str = "") -> forms.DateField:
    """A date typed in the clinic's format (dd/mm/yyyy, the locale's input formats), drawn as the intake's input."""
    field = forms.DateField(label=label, required=required, help_text=help_text, error_messages=_DATE_ERRORS,
                            widget=forms.DateInput(attrs=dict(_CLINIC_DATE), format="%d/%m/%Y"))
    field.template_name = INPUT_TEMPLATE
    field.widget.attrs["class"] = "form-control"
    return field


class ConditionForm(forms.Form):
    """One condition: a question by its wording, what it must be, and the value in the manager's terms.

    The value fields follow the question and operator chosen (as posted, else as stored): a window is
    a number and a unit, a choice is ticked from the question's own answers, yes / no needs nothing.
    """

    question = forms.ChoiceField(label="Question", error_messages={
        "invalid_choice": "That question is not in the questionnaire: choose one from the list."})
    op = forms.ChoiceField(label="Fires when the answer", error_messages={
        "invalid_choice": "That does not fit this question's answers: choose again from the list."})
    remove = forms.BooleanField(label="Remove this condition", required=False)

    def __init__(self, *args: Any, questions: dict[str, Question], stored: dict | None = None,
                 optional: bool = False, **kwargs: Any) -> None:
        self.questions = questions
        self.stored = stored or {}
        initial = kwargs.pop("initial", None) or self._initial()
        super().__init__(*args, initial=initial, **kwargs)
        self.optional = optional
        blank = [("", "Choose…")] if optional or not self.stored else []
        question_choices = blank + [(code, q.label) for code, q in questions.items()]
        if self.stored.get("question") and self.stored["question"] not in questions:
            question_choices.append((self.stored["question"], f"{self.stored['question']} (no longer asked)"))
        self.fields["question"].choices = question_choices
        self.fields["question"].required = not optional
        self.fields["op"].required = not optional
        code = self._chosen("question")
        question = questions.get(code)
        fits = [(c, _words(c)) for c, o in OPERATORS.items()
                if question is None or question.type in o.fits]
        # A saved condition whose question was just changed: its operator may no longer fit. Then "Choose…"
        # is what the page shows as chosen, not the first operator (which the server would not have read).
        op_blank = blank or ([("", "Choose…")] if self._chosen("op") not in dict(fits) else [])
        self.fields["op"].choices = op_blank + fits
        self.question = question
        self.operator = OPERATORS.get(self._chosen("op"))
        if self.operator is not None and self.operator.code not in dict(fits):
            self.operator = None  # chosen for another question: no value fields until one that fits is chosen
        self._add_value_fields()
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
                widget.attrs["class"] = "form-check-input"
            else:
                widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"

    @classmethod
    def redrawn(cls, data: Any, *, prefix: str, questions: dict[str, Question], stored: dict | None = None,
                optional: bool = False) -> ConditionForm:
        """The condition as posted, drawn again (unbound, so nothing is marked wrong yet): its value fields
        follow the question and operator just chosen, the answers to tick among them."""
        def posted(name: str) -> str:
            return data.get(f"{prefix}-{name}", "") or ""

        initial: dict[str, Any] = {name: posted(name) for name in
                                   ("question", "op", "window_number", "window_unit", "years", "answer", "number")}
        initial["answers"] = data.getlist(f"{prefix}-answers") if hasattr(data, "getlist") else []
        initial["remove"] = bool(posted("remove"))
        return cls(None, prefix=prefix, questions=questions, stored=stored, optional=optional, initial=initial)

    def _chosen(self, name: str) -> str:
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "") or ""
        return self.initial.get(name, "") or ""

    def _initial(self) -> dict[str, Any]:
        stored = self.stored
        initial: dict[str, Any] = {"question": stored.get("question", ""), "op": stored.get("op", "")}
        value = stored.get("value")
        if stored.get("op") == "within_days" and isinstance(value, int):
            initial["window_number"], initial["window_unit"] = window_parts(value)
        elif stored.get("op") == "age_under":
            initial["years"] = value
        elif isinstance(value, list):
            initial["answers"] = value
        elif isinstance(value, bool):
            initial["answer"] = "yes" if value else "no"
        elif value is not None:
            initial["answer"] = value
        return initial

    def _add_value_fields(self) -> None:
        operator, question = self.operator, self.question
        if operator is None or question is None:
            return
        if operator.code == "within_days":
            self.fields["window_number"] = forms.IntegerField(label="How long", min_value=0, max_value=36500)
            self.fields["window_unit"] = forms.ChoiceField(label="Unit", choices=UNITS)
        elif operator.code == "age_under":
            self.fields["years"] = forms.IntegerField(label="Years", min_value=1, max_value=120)
        elif operator.value == "list":
            self.fields["answers"] = forms.MultipleChoiceField(
                label="Answers", widget=forms.CheckboxSelectMultiple,
                choices=[(c["code"], c["label"]) for c in question.choices or []],
                error_messages={"required": "Tick at least one answer."},
            )
        elif operator.value == "scalar" and question.type == QuestionType.YES_NO:
            self.fields["answer"] = forms.ChoiceField(label="Answer", choices=[("yes", "Yes"), ("no", "No")])
        elif operator.value == "scalar" and question.type == QuestionType.CHOICE:
            self.fields["answer"] = forms.ChoiceField(
                label="Answer", choices=[(c["code"], c["label"]) for c in question.choices or []])
        elif operator.value == "scalar":
            self.fields["answer"] = forms.CharField(label="Answer", max_length=200)
        elif operator.value == "number":
            self.fields["number"] = forms.FloatField(label="Number")

    @property
    def is_blank(self) -> bool:
        return self.optional and not self._chosen("question") and not self._chosen("op")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.is_blank or cleaned.get("remove"):
            return cleaned
        if self.optional and not (cleaned.get("question") and cleaned.get("op")):
            raise forms.ValidationError("Choose both the question and what its answer must be, or neither.")
        return cleaned

    @property
    def condition(self) -> dict[str, Any] | None:
        """What the engine reads: ``{"question", "op", "value"}``; None for a removed or blank row."""
        data = self.cleaned_data
        if self.is_blank or data.get("remove"):
            return None
        condition: dict[str, Any] = {"question": data["question"], "op": data["op"]}
        if "window_number" in data:
            condition["value"] = window_days(data["window_number"], data["window_unit"])
        elif "years" in data:
            condition["value"] = data["years"]
        elif "answers" in data:
            condition["value"] = list(data["answers"])
        elif "answer" in data and self.question and self.question.type == QuestionType.YES_NO:
            condition["value"] = data["answer"] == "yes"
        elif "answer" in data:
            condition["value"] = data["answer"]
        elif "number" in data:
            condition["value"] = data["number"]
        return condition

    @property
    def value_fields(self) -> list:
        return [self[name] for name in ("window_number", "window_unit", "years", "answers", "answer", "number")
                if name in self.fields]


def _patient_date(field: forms.Field, label: str) -> forms.Field:
    """The intake's date input, typed in the clinic's format instead of the browser's picker."""
    replacement = clinic_date_field(label, required=False, help_text=field.help_text)
    return replacement


class ExampleForm(PatientForm):
    """One example, filled in with the questionnaire's own fields for the questions the rule reads.

    The other answers are a clean set (``questionnaire.examples.neutral_answers``); an example's stored
    answers to other questions are kept as they were.
    """

    def __init__(self, *args: Any, questions: list[Question], treatments: list[tuple[str, str]],
                 stored: dict | None = None, optional: bool = False, **kwargs: Any) -> None:
        self.asked = questions
        self.stored = stored or {}
        self.optional = optional
        kwargs.setdefault("initial", self._initial())
        super().__init__(*args, **kwargs)
        for question in questions:
            for name, field in question_fields(question).items():
                field.required = False
                if name == question.code and question.type == QuestionType.DATE:
                    field = _patient_date(field, question.label)
                elif name.endswith(MONTH_SUFFIX):
                    field = MonthField(required=False, label=field.label,
                                       widget=forms.TextInput(attrs={"placeholder": "mm/yyyy"}))
                    field.template_name = INPUT_TEMPLATE
                    field.widget.attrs["class"] = "form-control"
                self.fields[name] = field
        self.fields["on_date"] = clinic_date_field("Appointment date", required=not optional)
        treatment = forms.ChoiceField(label="Treatment", choices=treatments)
        expected = forms.ChoiceField(label="The outcome it must give", choices=Outcome.choices)
        for field in (treatment, expected):
            field.widget.attrs["class"] = "form-select"
        self.fields["treatment"] = treatment
        self.fields["expected"] = expected
        self.fields["eligible_from"] = clinic_date_field(
            "Eligible from (a deferral's first date; leave empty not to check it)", required=False)
        note = forms.CharField(label="Note", required=False, max_length=200)
        note.template_name = INPUT_TEMPLATE
        note.widget.attrs["class"] = "form-control"
        self.fields["note"] = note
        remove = forms.BooleanField(label="Remove this example", required=False)
        remove.template_name = CHECKBOX_TEMPLATE
        remove.widget.attrs["class"] = "form-check-input"
        self.fields["remove"] = remove

    def _initial(self) -> dict[str, Any]:
        stored = self.stored
        if not stored:
            return {"expected": Outcome.DEFERRED}
        initial: dict[str, Any] = {
            "on_date": _date(stored.get("on_date")), "treatment": stored.get("treatment"),
            "expected": stored.get("expected"), "eligible_from": _date(stored.get("eligible_from")),
            "note": stored.get("note", ""),
        }
        answers = stored.get("answers") or {}
        for question in self.asked:
            if question.code not in answers:
                continue
            value = answers[question.code]
            if question.type == QuestionType.DATE:
                if value is None:
                    initial[question.code + NEVER_SUFFIX] = True
                elif isinstance(value, str) and len(value) == 7:
                    initial[question.code + MONTH_SUFFIX] = f"{value[5:]}/{value[:4]}"
                else:
                    initial[question.code] = _date(value)
            elif question.type == QuestionType.YES_NO and isinstance(value, bool):
                initial[question.code] = "yes" if value else "no"
            else:
                initial[question.code] = value
        return initial

    def question_fields(self) -> list:
        names = [n for q in self.asked for n in (q.code, q.code + MONTH_SUFFIX, q.code + NEVER_SUFFIX)]
        return [self[name] for name in names if name in self.fields]

    def other_fields(self) -> list:
        return [self[name] for name in ("on_date", "treatment", "expected", "eligible_from", "note", "remove")]

    @property
    def is_blank(self) -> bool:
        if not self.optional:
            return False
        names = [n for n in self.fields if n not in ("treatment", "expected")]
        return not any(self.data.get(self.add_prefix(name)) for name in names)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.is_blank or cleaned.get("remove"):
            self.errors.clear()
            return cleaned
        if self.optional and not cleaned.get("on_date") and "on_date" not in self.errors:
            self.add_error("on_date", "Give the appointment date of this example.")
        for question in self.asked:
            if question.type != QuestionType.DATE:
                continue
            given = [bool(cleaned.get(question.code)), bool(cleaned.get(question.code + MONTH_SUFFIX)),
                     bool(cleaned.get(question.code + NEVER_SUFFIX))]
            if sum(given) > 1:
                self.add_error(question.code, "Give one of: a date, a month, or never.")
        return cleaned

    @property
    def example(self) -> dict[str, Any] | None:
        """The example as the engine's examples read it (ISO dates inside, never typed); None when removed."""
        data = self.cleaned_data
        if self.is_blank or data.get("remove"):
            return None
        answers = dict(self.stored.get("answers") or {})
        for question in self.asked:
            value = self._answer(question, data)
            if value is _UNANSWERED:
                answers.pop(question.code, None)
            else:
                answers[question.code] = value
        example = {"answers": answers, "treatment": data["treatment"], "on_date": data["on_date"].isoformat(),
                   "expected": data["expected"]}
        if data.get("eligible_from"):
            example["eligible_from"] = data["eligible_from"].isoformat()
        if data.get("note"):
            example["note"] = data["note"]
        return example

    @staticmethod
    def _answer(question: Question, data: dict[str, Any]) -> Any:
        raw = data.get(question.code)
        if question.type == QuestionType.DATE:
            if raw:
                return raw.isoformat()
            if data.get(question.code + MONTH_SUFFIX):
                return data[question.code + MONTH_SUFFIX]
            return None if data.get(question.code + NEVER_SUFFIX) else _UNANSWERED
        if question.type == QuestionType.YES_NO:
            if question.must_be_true:
                return bool(raw)
            return {"yes": True, "no": False, "not_sure": "not_sure"}.get(raw, _UNANSWERED)
        if question.type == QuestionType.MULTI:
            return list(raw) if raw else _UNANSWERED
        return raw if raw else _UNANSWERED


_UNANSWERED = object()


def _date(value: Any) -> date | None:
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


class PublishForm(forms.Form):
    rescreen = forms.BooleanField(widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        label="Re-screen the affected bookings and tell each patient and the front desk", required=False,
    )
