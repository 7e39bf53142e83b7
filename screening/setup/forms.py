"""Admin forms for rule drafts (conditions and examples as rows) and the rule file import.

Every check is the engine's own ``validate_rule``, run server-side, with
its message put on the field it is about: the condition's question,
operator or value, or the rule's messages.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from screening.core.models import Treatment
from screening.questionnaire.definitions import (
    TYPE_LABELS,
    engine_spec,
    format_value_text,
    parse_value_text,
)
from screening.questionnaire.models import (
    DraftCondition,
    DraftExample,
    Rule,
    RuleDraft,
)
from screening.questionnaire.selectors import question_specs
from screening.questionnaire.transfer import MAX_FILE_BYTES
from screening.rules import OPERATORS, AnswerError, message_problems, parse_answers, validate_rule

_CONDITION_PREFIX = re.compile(r"^Condition (\d+): ")


def _treatment_choices() -> list[tuple[str, str]]:
    return [(t.code, t.name) for t in Treatment.objects.order_by("order", "name")]


class DraftForm(forms.ModelForm):
    treatments = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Tick none for a rule that applies to every treatment.",
    )

    class Meta:
        model = RuleDraft
        fields = [
            "code", "name", "severity", "treatments", "match", "staff_message", "patient_message", "active", "note",
        ]
        widgets = {
            "match": forms.RadioSelect,
            "staff_message": forms.Textarea(attrs={"rows": 3}),
            "patient_message": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "code": "Capital letters, digits and underscores. Flags, exports and the screen command use it.",
            "staff_message": "What the clinician reads beside the flag: the risk and what to do.",
            "patient_message": "What the patient reads: plain, kind words, no medical jargon.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "treatments" in self.fields:
            self.fields["treatments"].choices = _treatment_choices()

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.instance.rule_id is None and Rule.objects.filter(code=code).exists():
            raise ValidationError("A rule with this code exists already: start a change from its page instead.")
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        spec = engine_spec({"code": self.instance.code, **cleaned, "conditions": [{}]}, None)
        # Whether the messages agree with the window waits for the conditions (their formset checks it).
        later = set(message_problems(spec))
        for field, message in validate_rule(spec, []):
            if field in self.fields and field not in self.errors and field != "conditions" \
                    and (field, message) not in later:
                self.add_error(field, message)
        return cleaned


_MESSAGE_FIELDS = {"staff_message": "Message for staff", "patient_message": "Message for the patient"}


class _QuestionSelect(forms.Select):
    """Options carry their question's type, so the page can offer the operators that fit."""

    def __init__(self, types: dict[str, str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.types = types

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.types:
            option["attrs"]["data-type"] = self.types[value]
        return option


class _OperatorSelect(forms.Select):
    """Options carry what the operator registry says of them: the question types they fit, the
    kind of value they take and the hint for it. The page's script reads these; it keeps no list."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        operator = OPERATORS.get(value)
        if operator is not None:
            option["attrs"]["data-types"] = " ".join(sorted(operator.fits))
            option["attrs"]["data-value"] = operator.value
            option["attrs"]["data-hint"] = operator.hint
        return option


class DraftConditionForm(forms.ModelForm):
    question = forms.ChoiceField()
    op = forms.ChoiceField(label="Operator")
    value = forms.CharField(
        required=False,
        help_text="Yes/no: nothing. Within/age: a number of days or years. One of: codes, separated by commas.",
    )

    class Meta:
        model = DraftCondition
        fields = ["question", "op", "value"]

    def __init__(self, *args: Any, questions: list[dict] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = {q["code"]: q for q in (questions if questions is not None else question_specs())}
        types = {code: q["type"] for code, q in self.questions.items()}
        choices = [("", "---------")] + [(code, f"{code} ({TYPE_LABELS.get(t, t)})") for code, t in types.items()]
        current = self.instance.question if self.instance.pk else None
        if current and current not in self.questions:
            choices.append((current, f"{current} (no longer in the questionnaire)"))
        self.fields["question"].choices = choices
        self.fields["question"].widget = _QuestionSelect(types, choices=choices)
        used_types = set(types.values())
        ops = [("", "---------")] + [
            (code, operator.label) for code, operator in OPERATORS.items() if operator.fits & used_types
        ]
        if self.instance.pk and self.instance.op and self.instance.op not in dict(ops):
            ops.append((self.instance.op, self.instance.op))
        self.fields["op"].choices = ops
        self.fields["op"].widget = _OperatorSelect(choices=ops)
        if self.instance.pk:
            self.initial["value"] = format_value_text(self.instance.value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        code, op = cleaned.get("question"), cleaned.get("op")
        if not code or not op:
            return cleaned
        question = self.questions.get(code)
        if question is None:
            self.add_error("question", f"Unknown question {code!r}: it is not in the questionnaire.")
            return cleaned
        operator = OPERATORS.get(op)
        if operator is None:
            self.add_error("op", f"Unknown operator {op!r}: choose one from the list.")
            return cleaned
        if question["type"] not in operator.fits:
            fits = ", ".join(TYPE_LABELS.get(t, t) for t in sorted(operator.fits))
            self.add_error(
                "op",
                f"“{operator.label}” does not fit {code}, a {TYPE_LABELS.get(question['type'])} "
                f"question (it fits: {fits}).",
            )
            return cleaned
        try:
            value = parse_value_text(cleaned.get("value", ""), op, question["type"])
        except ValueError as error:
            self.add_error("value", str(error))
            return cleaned
        condition = {"question": code, "op": op, "value": value}
        for _field, message in validate_rule(
            {"code": "X", "severity": "info", "conditions": [condition], "staff_message": ".", "patient_message": "."},
            [question],
        ):
            self.add_error("value", _CONDITION_PREFIX.sub("", message))
        cleaned["value"] = value
        return cleaned


class _LabelledRowsFormSet(BaseInlineFormSet):
    """Rows of a tabular inline: the admin heads each column but gives the fields no <label>.

    Each field gets its column's name as ``aria-label`` so that a screen
    reader (and axe) can name it.
    """

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", str(form[name].label))


LabelledRowsFormSet = _LabelledRowsFormSet  # for the other admin inlines (calendar, questionnaire)


class DraftConditionFormSet(_LabelledRowsFormSet):
    """The conditions; the rule as a whole (a defer rule needs a window) is checked here."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.questions = question_specs()
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "questions": self.questions}

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        draft = self.instance
        if not draft.active:
            return  # retiring: the conditions no longer matter
        if not kept:
            raise ValidationError("A rule needs at least one condition.")
        if draft.severity not in dict(RuleDraft._meta.get_field("severity").choices):
            return  # the rule's own form shows that error
        conditions = [
            {"question": f.cleaned_data["question"], "op": f.cleaned_data["op"], "value": f.cleaned_data["value"]}
            for f in kept
        ]
        spec = engine_spec({"code": draft.code or "X", "severity": draft.severity, "match": draft.match,
                            "conditions": conditions, "staff_message": draft.staff_message or ".",
                            "patient_message": draft.patient_message or "."}, None)
        general = []
        for field, message in validate_rule(spec, self.questions):
            if field in _MESSAGE_FIELDS and (field, message) in message_problems(spec):
                general.append(f"{_MESSAGE_FIELDS[field]}: {message}")  # a message against these conditions
                continue
            if field != "conditions":
                continue
            match = _CONDITION_PREFIX.match(message)
            if match and int(match.group(1)) <= len(kept):
                kept[int(match.group(1)) - 1].add_error("value", message[match.end():])
            else:
                general.append(message)
        if general:
            raise ValidationError(general)


class DraftExampleForm(forms.ModelForm):
    treatment = forms.ChoiceField()
    answers = forms.JSONField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text='Only what matters, over a clean set of answers: {"active_acne": true}',
    )

    class Meta:
        model = DraftExample
        fields = ["answers", "treatment", "on_date", "expected", "eligible_from", "note"]

    def __init__(self, *args: Any, questions: list[dict] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions if questions is not None else question_specs()
        self.fields["treatment"].choices = _treatment_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        answers, on_date = cleaned.get("answers"), cleaned.get("on_date")
        if answers is None or on_date is None:
            return cleaned
        if not isinstance(answers, dict):
            self.add_error("answers", "Give an object of answers by question code.")
            return cleaned
        try:
            parse_answers(answers, self.questions, today=on_date)
        except AnswerError as error:
            self.add_error("answers", str(error))
        return cleaned


class DraftExampleFormSet(_LabelledRowsFormSet):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.questions = question_specs()
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "questions": self.questions}


class ImportForm(forms.Form):
    file = forms.FileField(required=False, help_text="A JSON file made by Export (or manage.py export_rules).")
    document = forms.CharField(required=False, widget=forms.HiddenInput)
    keep_missing = forms.BooleanField(
        required=False, label="Keep rules that are not in the file",
        help_text="Otherwise active rules missing from the file are retired: the file is the rule set.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            # Never read more than the import accepts; a bigger file is refused with the import's message.
            cleaned["document"] = upload.read(MAX_FILE_BYTES + 1)
        if not cleaned.get("document"):
            raise ValidationError("Choose a rule file to import.")
        return cleaned
