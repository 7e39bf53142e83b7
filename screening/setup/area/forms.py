"""The set-up forms: model forms over the clinic's profile, locations, treatments, practitioners, closures.

Their field lists are here, at the top of each form, in one obvious place.
"""

from __future__ import annotations

from django import forms

from screening.booking.models import Practitioner, ScheduleException
from screening.core.models import ClinicSettings, ClinicWording, Location, Treatment, TreatmentWording
from screening.core.wordings import CLINIC_TEXT_FIELDS, TREATMENT_TEXT_FIELDS
from screening.setup.area.translations import Translated

#: What patients read about the clinic (the profile).
PROFILE_FIELDS = ["name", "address", "phone", "email", "reply_to", "time_zone", "pre_care_text", "aftercare_text",
                  "cancellation_text"]
#: How booking, reminders and records work (the rest of the clinic's settings).
POLICY_FIELDS = [
    "reminder_hours", "recheck_hours", "recheck_cutoff_hours", "follow_up_days", "full_intake_months",
    "hold_min_notice_hours", "hold_ends_before_hours", "hold_alert_hours", "retention_days",
]
LOCATION_FIELDS = ["name", "address", "time_zone", "treatments", "active", "order"]
TREATMENT_FIELDS = ["name", "code", "description", "duration_minutes", "price", "buffer_minutes",
                    "min_notice_hours", "max_days_ahead", "active", "order"]
PRACTITIONER_FIELDS = ["name", "location", "treatments", "active"]


class _Rows(forms.ModelForm):
    """Short text areas, checkboxes for a few choices."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3


class ProfileForm(Translated, _Rows):
    translated = CLINIC_TEXT_FIELDS

    class Meta:
        model = ClinicSettings
        fields = PROFILE_FIELDS + POLICY_FIELDS
        help_texts = {"time_zone": "An IANA time zone name, e.g. Europe/London: the clinic's dates and the staff "
                                   "pages read in it. A clinic with one location moves it to this zone too; with "
                                   "several, each keeps its own (change it on the location's page)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_translations(ClinicWording, ClinicWording.objects.all())

    def clean(self) -> dict:
        cleaned = super().clean()
        notice, ends = cleaned.get("hold_min_notice_hours"), cleaned.get("hold_ends_before_hours")
        if notice is not None and ends is not None and notice <= ends:
            self.add_error("hold_min_notice_hours", "The minimum notice for a held time must be longer than the "
                                                    "time a hold ends before the appointment.")
        return cleaned


class LocationForm(_Rows):
    class Meta:
        model = Location
        fields = LOCATION_FIELDS
        widgets = {"treatments": forms.CheckboxSelectMultiple}


class TreatmentForm(Translated, _Rows):
    translated = TREATMENT_TEXT_FIELDS

    class Meta:
        model = Treatment
        fields = TREATMENT_FIELDS
        help_texts = {"code": "A short name for files and links (letters, digits, hyphens), e.g. face."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pk = self.instance.pk
        self.add_translations(TreatmentWording, TreatmentWording.objects.filter(treatment_id=pk) if pk else ())


class PractitionerForm(_Rows):
    class Meta:
        model = Practitioner
        fields = PRACTITIONER_FIELDS
        widgets = {"treatments": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].required = True
        self.fields["location"].queryset = Location.objects.filter(active=True) | Location.objects.filter(
            pk=getattr(self.instance, "location_id", None))


class ClosureForm(forms.ModelForm):
    """One date: closed all day, or extra hours."""

    class Meta:
        model = ScheduleException
        fields = ["date", "kind", "start", "end", "note"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        labels = {"start": "From (extra hours only)", "end": "To (extra hours only)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = ScheduleException.Kind.CLOSED  # the usual case: a day off
        self.fields["kind"].choices = ScheduleException.Kind.choices

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("kind") == ScheduleException.Kind.EXTRA:
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None or end is None:
                self.add_error("start", "Extra hours need a start and an end time.")
            elif start >= end:
                self.add_error("end", "The end must be after the start.")
        return cleaned

    def validate_constraints(self, exclude=None):
        # The practitioner is set by the service; the clean above gives the kind message first.
        return None
