"""The questionnaire in the patient's language: the clinic's own translations, the English where there is none.

``wordings(language)`` reads the clinic's translations for one language (three
small queries; none for English) into a ``Wordings``, which answers "what does
the patient read here?" for a step, a question, a choice or a rule's message.
Anything not translated, or translated as blank, is the English: never an
empty string. The live questionnaire itself (shared by a process's requests)
is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from screening.questionnaire.wording_models import QuestionWording, RuleWording, StepWording
from screening.rules import fill_text, placeholder_values

ENGLISH = "en"


@dataclass(frozen=True)
class Wordings:
    """One language's words for the questionnaire, by step, question and rule id."""

    language: str = ENGLISH
    steps: Mapping[int, StepWording] = field(default_factory=dict)
    questions: Mapping[int, QuestionWording] = field(default_factory=dict)
    rules: Mapping[str, str] = field(default_factory=dict)  # rule code -> patient message

    def title(self, step) -> str:
        found = self.steps.get(step.pk)
        return (found.title if found else "") or step.title

    def intro(self, step) -> str:
        found = self.steps.get(step.pk)
        return (found.intro if found else "") or step.intro

    def label(self, question) -> str:
        found = self.questions.get(question.pk)
        return (found.label if found else "") or question.label

    def help_text(self, question) -> str:
        found = self.questions.get(question.pk)
        return (found.help_text if found else "") or question.help_text

    def never_label(self, question, default: str) -> str:
        """The "never" box: the clinic's translation, else the question's own words, else ``default``."""
        found = self.questions.get(question.pk)
        return (found.never_label if found else "") or question.never_label or str(default)

    def choices(self, question) -> list[tuple[str, str]]:
        """(code, label) of a choice question's answers, each in the patient's language where translated."""
        found = self.questions.get(question.pk)
        labels = found.choice_labels if found and isinstance(found.choice_labels, dict) else {}
        return [(c["code"], str(labels.get(c["code"]) or "").strip() or c["label"]) for c in question.choices]

    def patient_message(self, *, rule_spec: Mapping[str, Any] | None, english: str, answers: Mapping[str, Any],
                        evidence: Mapping[str, Any], stops: date | None) -> str:
        """A flag's message to the patient: the clinic's translation with its placeholders filled in this
        language ("6 meses", "16 de enero de 2027"), else the English as the screening wrote it."""
        text = self.rules.get(str((rule_spec or {}).get("code", ""))) if rule_spec else None
        if not text or not text.strip():
            return english
        return fill_text(text, placeholder_values(rule_spec, answers, evidence, stops, self.language))


def wordings(language: str) -> Wordings:
    """The clinic's translations for ``language``; English (the questionnaire as it is) reads nothing."""
    if not language or language.split("-")[0] == ENGLISH:
        return Wordings()
    language = language.split("-")[0]
    return Wordings(
        language=language,
        steps={w.step_id: w for w in StepWording.objects.filter(language=language)},
        questions={w.question_id: w for w in QuestionWording.objects.filter(language=language)},
        rules=dict(RuleWording.objects.filter(language=language).values_list("rule__code", "patient_message")),
    )
