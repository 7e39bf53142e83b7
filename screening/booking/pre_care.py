"""The patient's pre-care sentences in their language (issue 16).

The engine (``screening.rules.pre_care``, pure Python) says what and until
when: a date question and the last day it may still happen. Here, where the
sentence is written for the patient, it is worded with Django's i18n: one
phrase per default date question (the same English as the engine's
``PHRASES``, a test keeps them equal), the day in the patient's language. A
question the engine names only by its rule ("Not: ...") keeps the rule's name
as the clinic wrote it.
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.rules.precare import PreCare

#: What each default date question's instruction says, by question code.
PHRASES = {
    "retinoid_last_used": gettext_lazy("Stop your retinol or other retinoid creams"),
    "peel_or_laser_last_date": gettext_lazy("No peel, laser or IPL"),
    "deep_resurfacing_last_date": gettext_lazy("No deep resurfacing (deep peel, ablative laser)"),
    "toxin_last_date": gettext_lazy("No anti-wrinkle injections"),
    "filler_last_date": gettext_lazy("No filler injections"),
    "last_microneedling_date": gettext_lazy("No other microneedling"),
}


def pre_care_sentence(line: PreCare, *, today: date | None = None) -> str:
    """``line`` in the active language: "No filler injections after Saturday 16 January" ("Nada de rellenos
    después del sábado 16 de enero"); once its last day is behind ``today``, "... before your appointment"."""
    phrase = PHRASES.get(line.question)
    instruction = str(phrase) if phrase is not None else line.text
    if today is not None and line.last_day < today:
        return _("{instruction} before your appointment").format(instruction=instruction)
    return _("{instruction} after {day}").format(instruction=instruction, day=date_format(line.last_day, _("l j F")))
