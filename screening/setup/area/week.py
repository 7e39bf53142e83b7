"""The compact week form: one row per weekday (open, from, to), and "copy to every day".

"Copy" is a submit button (it works without JavaScript): it re-shows the form with one
day's hours copied to the days ticked open, or to every day if no other day is ticked.
Nothing is saved until "Save the week". static/js/app.js does the same copy in place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import time

from django import forms
from django.http import QueryDict

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class WeekForm(forms.Form):
    """Seven rows; a ticked day needs a start and a later end."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for day, name in enumerate(DAY_NAMES):
            self.fields[f"open_{day}"] = forms.BooleanField(required=False, label=f"{name}: open")
            self.fields[f"start_{day}"] = forms.TimeField(
                required=False, label=f"{name} from", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
            self.fields[f"end_{day}"] = forms.TimeField(
                required=False, label=f"{name} to", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def clean(self) -> dict:
        cleaned = super().clean()
        for day, name in enumerate(DAY_NAMES):
            if not cleaned.get(f"open_{day}"):
                continue
            start, end = cleaned.get(f"start_{day}"), cleaned.get(f"end_{day}")
            if f"start_{day}" in self.errors or f"end_{day}" in self.errors:
                continue
            if start is None or end is None:
                self.add_error(f"start_{day}", f"{name} is ticked open: give the time it opens and closes.")
            elif start >= end:
                self.add_error(f"end_{day}", f"{name} closes before it opens: the end must be after the start.")
        return cleaned

    def week(self) -> dict[int, tuple[time, time] | None]:
        """The cleaned week for the services: weekday -> (from, to), or None when closed."""
        return {
            day: (self.cleaned_data[f"start_{day}"], self.cleaned_data[f"end_{day}"])
            if self.cleaned_data.get(f"open_{day}") else None
            for day in range(7)
        }

    def rows(self) -> list[dict]:
        """For the template: each day's name and its three fields."""
        return [{"day": day, "name": name, "open": self[f"open_{day}"], "start": self[f"start_{day}"],
                 "end": self[f"end_{day}"]} for day, name in enumerate(DAY_NAMES)]


def week_initial(rows: Iterable) -> dict:
    """The form's initial values from stored rows (``weekday``, ``start``, ``end``): the first interval a day."""
    initial: dict = {}
    for row in sorted(rows, key=lambda r: (r.weekday, r.start)):
        if f"open_{row.weekday}" not in initial:
            initial.update({f"open_{row.weekday}": True, f"start_{row.weekday}": row.start,
                            f"end_{row.weekday}": row.end})
    return initial


def copied(data: Mapping, source: str) -> QueryDict | None:
    """The posted week with day ``source``'s hours copied to the other ticked days (or to all seven); None if bad."""
    if not (source.isascii() and source.isdigit() and 0 <= int(source) <= 6):
        return None
    day = int(source)
    result = QueryDict(mutable=True)
    result.update({key: value for key, value in data.items() if key not in ("csrfmiddlewaretoken", "copy_from")})
    others = [d for d in range(7) if d != day and data.get(f"open_{d}")]
    targets = others or [d for d in range(7) if d != day]
    result[f"open_{day}"] = "on"
    for target in targets:
        result[f"open_{target}"] = "on"
        result[f"start_{target}"] = data.get(f"start_{day}", "")
        result[f"end_{target}"] = data.get(f"end_{day}", "")
    return result
