"""The slot picker's form: one posted value naming a practitioner and a start."""

from __future__ import annotations

from django import forms

from screening.booking.slots import parse_slot_value


class SlotForm(forms.Form):
    """Reads the slot a patient tapped; whether it is free is the service's call."""

    slot = forms.CharField(
        max_length=40,
        error_messages={"required": "Please choose a time."},
    )

    def clean_slot(self) -> str:
        value = self.cleaned_data["slot"]
        if parse_slot_value(value) is None:
            raise forms.ValidationError("Please choose one of the times shown.")
        return value

    def booking_args(self) -> dict:
        """Keyword arguments for booking_create / booking_move."""
        practitioner_id, start = parse_slot_value(self.cleaned_data["slot"])  # type: ignore[misc]
        return {"practitioner_id": practitioner_id, "start": start}
