"""What the slot picker shows: where (the location, when the clinic has several), with whom, and the day's times.

Each time is shown once: "any practitioner" unless the patient picks one, grouped under
morning and afternoon. Plain reads over GET parameters: a hand-edited value that names no
location or practitioner offered is simply ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from screening.booking import selectors
from screening.booking.forms import SlotForm
from screening.booking.models import Booking, Practitioner
from screening.booking.slots import Day, morning_and_afternoon, parse_slot_value, times_once
from screening.core.models import Location
from screening.intake.models import Intake


@dataclass
class Where:
    """The patient's choice of location and practitioner on the picker."""

    locations: list[Location] = field(default_factory=list)  # empty: one location, nothing to ask
    location: Location | None = None
    practitioners: list[Practitioner] = field(default_factory=list)
    practitioner: Practitioner | None = None

    @property
    def zone(self) -> ZoneInfo:
        """The zone the page's days and times are in: the location's (``selectors.place_zone``)."""
        return selectors.place_zone(self.location, self.practitioners)

    @property
    def filters(self) -> dict:
        """Keyword arguments for ``selectors.free_days_for``."""
        return {"location_id": self.location.pk if self.location else None,
                "practitioner_id": self.practitioner.pk if self.practitioner else None}

    @property
    def query(self) -> str:
        """The choice as URL parameters, for the day links (starts with ``&amp;`` when there is one)."""
        parts = []
        if self.location:
            parts.append(f"location={self.location.pk}")
        if self.practitioner:
            parts.append(f"practitioner={self.practitioner.pk}")
        return "".join(f"&{part}" for part in parts)


def _int_param(raw) -> int | None:
    return int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def choose_where(request: HttpRequest, intake: Intake, form: SlotForm, moving: Booking | None) -> Where:
    """The location and practitioner the page is for, from the URL, the posted form, or the booking being moved."""
    where = Where(locations=selectors.bookable_locations(intake.treatment))
    if where.locations:
        wanted = _int_param(request.GET.get("location"))
        if wanted is None and form.is_bound:
            wanted = _int_param(form.data.get("location", ""))
        if wanted is None and moving is not None:
            wanted = moving.practitioner.location_id
        if wanted is None and len(where.locations) == 1:
            wanted = where.locations[0].pk
        where.location = next((loc for loc in where.locations if loc.pk == wanted), None)
        if where.location is None:
            return where
    where.practitioners = selectors.bookable_practitioners(
        intake.treatment, location_id=where.location.pk if where.location else None)
    wanted = _int_param(request.GET.get("practitioner"))
    posted = parse_slot_value(form.data.get("slot", "")) if form.is_bound else None
    if wanted is None and posted is not None:
        wanted = posted[0]  # a time chosen with one practitioner stays chosen with them after a refusal
    where.practitioner = next((p for p in where.practitioners if p.pk == wanted), None)
    return where


def day_parts(day: Day | None, where: Where, tz: ZoneInfo) -> list[tuple[str, list]]:
    """The day's times, each once, under "Morning" and "Afternoon" (a part without times is left out)."""
    if day is None:
        return []
    morning, afternoon = morning_and_afternoon(times_once(day.slots, one_practitioner=where.practitioner is not None),
                                               tz)
    return [(label, times) for label, times in ((_("Morning"), morning), (_("Afternoon"), afternoon)) if times]
