"""The patient's "how is your skin?" form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from screening.courses.models import Reaction


class SkinForm(forms.Form):
    reactions = forms.MultipleChoiceField(
        choices=Reaction.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Tick anything you have noticed since your session (leave all unticked if your skin is fine)"),
    )
    other = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything else you want to tell us (optional)"),
    )

    def clean(self):
        data = super().clean()
        if Reaction.OTHER in data.get("reactions", []) and not (data.get("other") or "").strip():
            self.add_error("other", "Please tell us in a few words what you noticed.")
        return data
