"""A draft's words in the patient's other languages (issue 16): taken from the live wording when a draft
starts, kept on the draft while it is edited, written to the live wording when it is published.

A question change holds ``{"es": {"label", "help_text", "choice_labels": {code: label}}}``; a rule draft
``{"es": {"patient_message": ...}}``. A blank text is kept blank: the patient then reads the English.
The callers hold the transaction (start, save, publish are services of their own).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from screening.core.wording_models import translated_languages
from screening.questionnaire.models import Question, QuestionWording, Rule, RuleWording
from screening.rules import PLACEHOLDERS

_BRACES = re.compile(r"\{([^{}]*)\}")


def language_codes() -> list[str]:
    return [code for code, _name in translated_languages()]


def question_translations(question: Question | None) -> dict[str, dict[str, Any]]:
    """The live question's words in each other language (empty ones for a new question)."""
    found = {w.language: w for w in QuestionWording.objects.filter(question=question)} if question else {}
    return {code: {"label": getattr(found.get(code), "label", ""),
                   "help_text": getattr(found.get(code), "help_text", ""),
                   "choice_labels": dict(getattr(found.get(code), "choice_labels", None) or {})}
            for code in language_codes()}


def question_wordings_publish(question: Question, translations: Mapping[str, Mapping[str, Any]]) -> None:
    """Write the draft's words beside the published question; its "never" box's words are left as they are."""
    codes = {c["code"] for c in question.choices or []}
    for code, words in translations.items():
        if code not in language_codes():
            continue
        labels = {k: str(v).strip() for k, v in dict(words.get("choice_labels") or {}).items()
                  if k in codes and str(v).strip()}
        QuestionWording.objects.update_or_create(question=question, language=code, defaults={
            "label": str(words.get("label") or "").strip(), "help_text": str(words.get("help_text") or "").strip(),
            "choice_labels": labels})


def rule_translations(rule: Rule | None) -> dict[str, dict[str, str]]:
    found = dict(RuleWording.objects.filter(rule=rule).values_list("language", "patient_message")) if rule else {}
    return {code: {"patient_message": found.get(code, "")} for code in language_codes()}


def rule_wordings_publish(rule: Rule, translations: Mapping[str, Mapping[str, Any]]) -> None:
    for code, words in translations.items():
        if code in language_codes():
            RuleWording.objects.update_or_create(rule=rule, language=code, defaults={
                "patient_message": str(words.get("patient_message") or "").strip()})


def placeholder_problems(text: str) -> list[str]:
    """A translation's placeholders that are not ours (a translated name, "{ventana}", would reach the patient
    in braces): the names stay the English ones, whatever the language."""
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    return [f"{{{name}}} is not a placeholder: keep the English names ({known})."
            for name in dict.fromkeys(_BRACES.findall(text or "")) if name not in PLACEHOLDERS]
