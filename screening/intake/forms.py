"""Patient forms: the treatment choice, one form per questionnaire step, the reply to a clinician.

A step form is built from the Question rows of that step (screening.intake.fields),
so the questionnaire stays data. Cleaned values are JSON values as INTAKE.md
defines them (yes_no -> bool, date -> "YYYY-MM-DD" or None, ...). Which
questions are asked is the engine's show-when (``screening.rules.hidden_codes``),
over the whole questionnaire: a question's parent may be on an earlier step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.forms.boundfield import BoundField
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from screening.core.clinic import clinic_today
from screening.core.models import Treatment
from screening.core.wordings import TreatmentWords, treatment_wordings, treatment_words
from screening.intake.fields import (
    INPUT_TEMPLATE,
    MONTH_SUFFIX,
    NEVER_SUFFIX,
    NOT_SURE_CHOICE,
    PatientForm,
    is_phone_number,
    question_fields,
    tick_field,
)
from screening.questionnaire.models import Question, QuestionKind, QuestionType
from screening.questionnaire.selectors import Questionnaire
from screening.questionnaire.wordings import wordings
from screening.rules import FIRST_YEAR, hidden_codes


class TreatmentForm(forms.Form):
    treatment = forms.ModelChoiceField(
        queryset=Treatment.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        label=_("Which treatment are you interested in?"),
        error_messages={"required": _("Please choose a treatment."),
                        "invalid_choice": _("Please choose one of the treatments listed.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        translated = treatment_wordings()  # in the patient's language: one query for every treatment listed
        self.fields["treatment"].label_from_instance = (
            lambda t: _treatment_label(treatment_words(t, wordings=translated)))
        self.helper = FormHelper()
        self.helper.form_tag = False


def _treatment_label(words: TreatmentWords) -> str:
    return words.name + (f" — {words.description}" if words.description else "")


class LinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We will email you a new link if we find an unfinished form or a booking for this address."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

#: On the phone, the signature question is this tick, and its answer this text (the rules see a signed form).
VERBAL_CONSENT_LABEL = "The patient confirmed consent verbally"
VERBAL_CONSENT_MISSING = "Please tick once the patient has told you they consent."
VERBAL_CONSENT_ANSWER = "Consent given verbally on the phone"


def _normalise_name(value: str) -> str:
    return re.sub(r"\s+", " ", value or "").strip().casefold()


@dataclass(frozen=True)
class QuestionGroup:
    """One question as its page draws it: its fields, and whether it starts shown.

    ``show_when`` and ``show_value`` tell the page's script which answer shows it
    (the parent's code, and that answer as the form posts it: "yes", "no", a choice code).
    """

    question: Question
    fields: list[BoundField]
    shown: bool
    show_when: str
    show_value: str
    label: str = ""  # the question as the patient reads it (their language)


def _posted_token(value: Any) -> str:
    """A show-when value as the form posts it (yes/no questions post "yes" and "no")."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


class StepForm(PatientForm):
    """The questions of one step. ``answers`` are the intake's saved answers; ``questionnaire`` the
    live one, for what lies beyond the step (a show-when's parent, the names a signature must match);
    ``today`` the clinic's date, which a "last time" answer may not be after. ``verbal_consent``: staff
    fill it in with the patient on the phone, and a signature is a tick that the patient consented aloud."""

    def __init__(self, *args, questions: list[Question], answers: dict, questionnaire: Questionnaire,
                 today: dt.date | None = None, verbal_consent: bool = False, **kwargs):
        self.questions = questions
        self.verbal_consent = verbal_consent
        self._today = today
        self.saved_answers = answers
        self.questionnaire = questionnaire
        kwargs.setdefault("initial", self._initial_from(answers))
        super().__init__(*args, **kwargs)
        # The questions in the language of the page (the patient's; staff pages are English).
        self.words = wordings(translation.get_language() or "en")
        for question in questions:
            self.fields.update(question_fields(question, self.words))
            if verbal_consent and question.kind == QuestionKind.SIGNATURE:
                self.fields[question.code] = tick_field(label=VERBAL_CONSENT_LABEL,
                                                        required_message=VERBAL_CONSENT_MISSING)

    def _initial_from(self, answers: dict) -> dict:
        initial = {}
        for q in self.questions:
            if q.code not in answers:
                continue
            value = answers[q.code]
            if q.type == QuestionType.YES_NO and value is not None:
                initial[q.code] = value if value == NOT_SURE_CHOICE[0] else "yes" if value else "no"
            elif q.type == QuestionType.DATE:
                if value is None:
                    initial[q.code + NEVER_SUFFIX] = True
                elif isinstance(value, str) and len(value) == 7:  # a month: "2026-11"
                    initial[q.code + MONTH_SUFFIX] = value
                else:
                    initial[q.code] = value
            elif q.must_be_true or (self.verbal_consent and q.kind == QuestionKind.SIGNATURE):
                initial[q.code] = bool(value)
            else:
                initial[q.code] = value
        return initial

    # -- what is asked --------------------------------------------------------------
    def _hidden_given(self, answers: Mapping[str, Any]) -> set[str]:
        return hidden_codes(answers, self.questionnaire.specs_by_code, [q.code for q in self.questions])

    @cached_property
    def _hidden_on_load(self) -> set[str]:
        if self.is_bound:
            self.is_valid()  # clean() reads the answers as posted (once: the errors are kept)
            return set(getattr(self, "hidden", ()))
        return self._hidden_given(self.saved_answers)

    def groups(self) -> list[QuestionGroup]:
        """The step's questions as the page draws them (a posted form: as it read the answers)."""
        hidden = self._hidden_on_load
        groups = []
        for q in self.questions:
            names = [name for name in (q.code, q.code + MONTH_SUFFIX, q.code + NEVER_SUFFIX) if name in self.fields]
            show_value = _posted_token(q.show_when_value) if q.show_when_question else ""
            groups.append(QuestionGroup(q, [self[name] for name in names], q.code not in hidden,
                                        q.show_when_question, show_value, self.words.label(q)))
        return groups

    # -- validation -----------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        values = {q.code: self._json_value(q, cleaned) for q in self.questions
                  if q.code not in self.errors and q.code + MONTH_SUFFIX not in self.errors}
        # What show-when reads: this step's answers as posted (one that could not be read is no
        # answer), the other steps' as saved.
        hidden = self._hidden_given({**self.saved_answers, **{q.code: values.get(q.code) for q in self.questions}})
        for q in self.questions:
            if q.code in hidden:
                # Not asked: nothing to answer, nothing to correct, nothing kept.
                for name in (q.code, q.code + MONTH_SUFFIX, q.code + NEVER_SUFFIX):
                    self.errors.pop(name, None)
            elif q.code in values:  # its fields could be read
                self._check(q, values)
        self.answers = {code: value for code, value in values.items() if code not in hidden}
        self.hidden = [q.code for q in self.questions if q.code in hidden]
        return cleaned

    def _json_value(self, q: Question, cleaned: dict):
        raw = cleaned.get(q.code)
        if self.verbal_consent and q.kind == QuestionKind.SIGNATURE:
            return VERBAL_CONSENT_ANSWER if raw else ""
        if q.type == QuestionType.YES_NO:
            if q.must_be_true:
                return bool(raw)
            return {"yes": True, "no": False, NOT_SURE_CHOICE[0]: NOT_SURE_CHOICE[0]}.get(raw)
        if q.type == QuestionType.DATE:
            month = cleaned.get(q.code + MONTH_SUFFIX) or ""
            if cleaned.get(q.code + NEVER_SUFFIX) and raw is None and not month:
                return None
            return raw.isoformat() if raw else month
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
        if self.verbal_consent and q.kind == QuestionKind.SIGNATURE:
            if not value:
                self.add_error(q.code, VERBAL_CONSENT_MISSING)
            return
        if q.must_be_true and value is not True:
            self.add_error(q.code, _("Please tick to confirm you have read this."))
            return
        if q.required and missing and q.type != QuestionType.MULTI:
            if q.type == QuestionType.DATE and self._has_never(q):
                self.add_error(q.code, _("Please enter a date, or tick “Never”."))
            else:
                self.add_error(q.code, _("Please answer this question."))
            return
        if q.type == QuestionType.DATE and value:
            self._check_date(q, value)
        if q.kind == QuestionKind.PHONE and value and not is_phone_number(value):
            self.add_error(q.code, _("Please enter a phone number: digits, spaces and a + only."))
        if q.kind == QuestionKind.SIGNATURE and value:
            self._check_signature(q, value, values)

    def _check_date(self, q: Question, value: str) -> None:
        month = len(value) == 7  # "2026-11": the month field's answer
        day = dt.date.fromisoformat(value + "-01" if month else value)
        if q.past_only and day > self.today:
            self.add_error(q.code, _("This date is in the future. Please check it."))
        elif day.year < FIRST_YEAR:
            self.add_error(q.code, _("Please check the year."))
        elif self.cleaned_data.get(q.code + NEVER_SUFFIX):
            self.add_error(q.code, _("Please either enter a date or tick “Never”, not both."))
        elif not month and self.cleaned_data.get(q.code + MONTH_SUFFIX):
            self.add_error(q.code, _("Please enter either the date or the month, not both."))

    @cached_property
    def today(self) -> dt.date:
        """The clinic's today: given by the view (read along the intake), else read once."""
        return self._today or clinic_today()

    def _check_signature(self, q: Question, value: str, values: dict) -> None:
        """A signature is the names the patient gave (the questions of those kinds, wherever they are)."""
        kinds = self.questionnaire.code_of_kind
        codes = [kinds.get(QuestionKind.FIRST_NAME), kinds.get(QuestionKind.LAST_NAME)]
        names = [values.get(code, self.saved_answers.get(code, "")) for code in codes if code]
        if names and _normalise_name(value) != _normalise_name(" ".join(names)):
            self.add_error(q.code, str(_("Please type your full name exactly as you gave it: {names}.")).format(
                names=" ".join(names)))

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


class ReplyForm(PatientForm):
    """The patient's own words beside their updated answers."""

    reply = forms.CharField(
        label=_("Your reply to the clinician (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), template_name=INPUT_TEMPLATE,
    )
