"""The slot picker's form: one posted value naming a practitioner (or any) and a start, the location, texts."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from screening.booking.slots import parse_slot_value


class SlotForm(forms.Form):
    """Reads the slot a patient tapped; whether it is free is the service's call."""

    slot = forms.CharField(
        max_length=40,
        error_messages={"required": _("Please choose a time.")},
    )

    # The location picked on the page before (none when the clinic has one).
    location = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    texts = forms.BooleanField(required=False, label=_("Also remind me by text message"))
    mobile = forms.CharField(required=False, max_length=20, label=_("Mobile number"))

    def clean_mobile(self) -> str:
        raw = self.cleaned_data["mobile"].strip()
        if not raw:
            return ""
        number = re.sub(r"[\s().-]", "", raw)
        if not re.fullmatch(r"\+?\d{7,15}", number):
            raise forms.ValidationError(_("Please enter a mobile number with 7 to 15 digits, e.g. 07700 900123."))
        return number

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("texts") and not cleaned.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", _("Please enter the mobile number for your reminder, or untick the box."))
        return cleaned

    def clean_slot(self) -> str:
        value = self.cleaned_data["slot"]
        if parse_slot_value(value) is None:
            raise forms.ValidationError(_("Please choose one of the times shown."))
        return value

    def booking_args(self) -> dict:
        """Keyword arguments for booking_create / booking_move."""
        practitioner_id, start = parse_slot_value(self.cleaned_data["slot"])  # type: ignore[misc]
        args = {"practitioner_id": practitioner_id, "start": start, "location_id": self.cleaned_data.get("location")}
        if self.cleaned_data.get("texts"):
            args["sms_phone"] = self.cleaned_data["mobile"]
        return args
