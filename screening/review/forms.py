"""Staff forms: the queue's filters, the three decisions and the re-screen.

They are drawn by Django's own form rendering with the project's Bootstrap 5
templates (``templates/review/fields/``): ``{{ form }}`` for a whole form,
``{{ form.<name>.as_field_group }}`` for one field. Django's widgets write
the inputs; its BoundField gives the ids and the aria attributes.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.utils import ErrorList

from screening.intake.models import ReviewState
from screening.questionnaire.models import Outcome
from screening.review.models import DeclineReason
from screening.review.selectors import QueueFilters, filter_choices
from screening.review.services import QUESTION_MAX_LENGTH


class StaffFormRenderer(TemplatesSetting):
    """Django's renderer, with the staff pages' form and field templates."""

    form_template_name = "review/fields/form.html"
    field_template_name = "review/fields/field.html"


class StaffErrorList(ErrorList):
    """A field's errors under ``<id>_error``, the id Django's aria-describedby names."""

    template_name = "review/fields/errors.html"


class StaffBoundField(BoundField):
    """A field whose input says ``is-invalid`` when it has errors (Bootstrap draws it red)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            attrs["class"] = f"{attrs.get('class', widget.attrs.get('class', ''))} is-invalid".lstrip()
        return attrs


class StaffSelect(forms.Select):
    """A drop-down list whose options are written by its own template, not one template each."""

    template_name = "review/fields/select.html"


def bootstrap_class(widget: forms.Widget) -> str:
    """Bootstrap 5's class for a widget's input."""
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxInput)):  # CheckboxSelectMultiple is a RadioSelect
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class StaffForm(forms.Form):
    """A form of the staff pages, drawn with Bootstrap 5 by ``StaffFormRenderer``."""

    default_renderer = StaffFormRenderer
    bound_field_class = StaffBoundField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_class", StaffErrorList)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", bootstrap_class(field.widget))


# A filter from an old bookmark or an edited address: said in words (Django's default names the raw value).
NOT_IN_LIST = {"invalid_choice": "That is not in this list (any more): choose again from it. The filter was left out."}


class QueueFilterForm(StaffForm):
    q = forms.CharField(label="Name or email", required=False, max_length=100)
    state = forms.ChoiceField(
        label="Review", required=False, widget=StaffSelect, error_messages=NOT_IN_LIST,
        choices=[("", "All")] + [(state.value, state.label) for state in ReviewState if state != ReviewState.NONE],
    )
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[("", "Any")] + list(Outcome.choices),
                                widget=StaffSelect, error_messages=NOT_IN_LIST)
    rule = forms.ChoiceField(label="Rule", required=False, widget=StaffSelect, error_messages=NOT_IN_LIST)
    submitted_from = forms.DateField(label="Sent from", required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    submitted_to = forms.DateField(label="Sent until", required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    # Offered when the clinic has several active locations (issue 17): an intake is at its booking's.
    location = forms.TypedChoiceField(label="Location", required=False, coerce=int, empty_value=None,
                                      widget=StaffSelect, error_messages=NOT_IN_LIST)
    # The intakes this clinician decided, or asked the patient about.
    mine = forms.BooleanField(label="My patients", required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        rules, locations = filter_choices()
        self.fields["rule"].choices = [("", "Any")] + rules
        if len(locations) > 1:
            self.fields["location"].choices = [("", "Every location")] + locations
        else:
            del self.fields["location"]

    def filters(self) -> QueueFilters:
        """The valid filters; an invalid one is dropped (and shown as an error), not a 500."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return QueueFilters(
            state=data.get("state") or "",
            outcome=data.get("outcome") or "",
            rule=data.get("rule") or "",
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
            search=data.get("q") or "",
            mine=self.user.pk if data.get("mine") and self.user is not None else None,
            location=data.get("location"),
        )


class _DecisionForm(StaffForm):
    # The screening the clinician read: a decision on anything newer is refused.
    screening_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    id_prefix = "decision"

    def __init__(self, *args, **kwargs):
        # Three of these share the intake page: keep their element ids apart.
        kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ClearForm(_DecisionForm):
    id_prefix = "clear"
    note = forms.CharField(
        label="Note for the clinical record", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this is safe to go ahead. Staff only: the patient does not see it.",
        error_messages={"required": "Please write a note saying why you are clearing this intake."},
    )
    patient_instructions = forms.CharField(
        label="Instructions for the patient (optional)", max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="E.g. \u201ctake your antiviral as prescribed from two days before\u201d. Shown on the patient's "
                  "booking page; their email only says there are instructions, with a link.",
    )


class DeclineForm(_DecisionForm):
    id_prefix = "decline"
    reason = forms.ChoiceField(
        label="What the patient is told", choices=DeclineReason.choices, widget=forms.RadioSelect,
        help_text="Sent by email in kind, plain words, without medical detail.",
        error_messages={"required": "Please choose what the patient is told."},
    )
    note = forms.CharField(label="Note for the clinical record (optional)", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AskForm(_DecisionForm):
    id_prefix = "ask"
    question = forms.CharField(
        label="Question for the patient", max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The patient reads it after following the emailed link (it is not in the email itself).",
        error_messages={"required": "Please write the question for the patient."},
    )


class RescreenForm(_DecisionForm):
    """Re-screen against the current rules; names the screening read, so a double submit re-screens once."""

    id_prefix = "rescreen"
