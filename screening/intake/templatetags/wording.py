"""A step's title and introduction in the patient's language, on the pages of question groups."""

from __future__ import annotations

from django import template

from screening.questionnaire.wordings import Wordings

register = template.Library()


@register.simple_tag
def step_title(step, words: Wordings | None = None) -> str:
    return (words or Wordings()).title(step)


@register.simple_tag
def step_intro(step, words: Wordings | None = None) -> str:
    return (words or Wordings()).intro(step)
