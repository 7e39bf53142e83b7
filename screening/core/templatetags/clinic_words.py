"""``{% load clinic_words %}``: a treatment's name and description in the active language (the patient's)."""

from __future__ import annotations

from django import template

from screening.core.wordings import treatment_words

register = template.Library()


@register.filter
def treatment_name(treatment) -> str:
    """``{{ intake.treatment|treatment_name }}``: the clinic's translation, else the English."""
    return treatment_words(treatment).name if treatment is not None else ""


@register.filter
def treatment_description(treatment) -> str:
    return treatment_words(treatment).description if treatment is not None else ""
