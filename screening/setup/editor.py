"""The plain-language rule editor as one page: the rule's words, its conditions, its examples, and what a
patient would read, checked by the engine with every problem on the field it is about.

``DraftEditor`` holds the page's forms for one draft (bound to a POST, or showing the draft as saved);
``definition`` is what the forms say, as the engine reads it.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.utils.translation import get_language_info

from screening.core.clinic import clinic_today
from screening.core.models import Treatment
from screening.questionnaire.admin_selectors import draft_definition
from screening.questionnaire.definitions import engine_spec
from screening.questionnaire.models import Question, RuleDraft
from screening.questionnaire.selectors import question_specs
from screening.rules import fill_messages, fill_text, message_problems, placeholder_values, validate_rule
from screening.setup.editor_forms import ConditionForm, ExampleForm
from screening.setup.rule_words_form import RuleWordsForm

_CONDITION_PREFIX = re.compile(r"^Condition (\d+): ")
_WORDS = ("name", "staff_message", "patient_message")


class DraftEditor:
    def __init__(self, draft: RuleDraft, data: Any = None, *, from_intake: Any = None,
                 redraw_conditions: bool = False) -> None:
        self.draft = draft
        saved = draft_definition(draft)
        self.questions = {q.code: q for q in Question.objects.filter(active=True).select_related("step")}
        self.words = RuleWordsForm(data, prefix="rule", translations=draft.translations, initial={
            "name": draft.name, "staff_message": draft.staff_message, "patient_message": draft.patient_message,
            "note": draft.note, "active": draft.active,
        })
        # Redrawn (the page asked for the value fields of a question just chosen): the conditions as posted,
        # unbound, so the answers to tick appear with nothing marked wrong; nothing is saved.
        condition = ConditionForm.redrawn if redraw_conditions else ConditionForm
        self.conditions = [condition(data, prefix=f"c{i}", questions=self.questions, stored=c)
                           for i, c in enumerate(saved["conditions"])]
        self.new_condition = condition(data, prefix="cnew", questions=self.questions, optional=True)
        treatments = [(t.code, t.name) for t in Treatment.objects.order_by("order", "name")]
        asked = self._asked()
        self.examples = [ExampleForm(data, prefix=f"e{i}", questions=asked, treatments=treatments, stored=e)
                         for i, e in enumerate(saved["examples"])]
        self.new_example = ExampleForm(data, prefix="enew", questions=asked, treatments=treatments, optional=True)
        if from_intake is not None:
            # The new example alone starts from the past intake (unbound: shown, not checked yet); the
            # other forms stay bound to what was posted, so nothing typed is lost.
            self.new_example = ExampleForm(None, prefix="enew", questions=asked, treatments=treatments,
                                           optional=True, stored=from_intake)
        self.errors: list[str] = []
        self.warnings: list[str] = []

    @cached_property
    def recent_intakes(self) -> list[tuple[int, str]]:
        """The last submitted intakes to start an example from, named as the front desk would."""
        from screening.setup.selectors import recent_intakes

        return recent_intakes()

    def _asked(self) -> list[Question]:
        """The questions the conditions read (as posted), in order, each once: the examples answer these."""
        codes = [form._chosen("question") for form in (*self.conditions, self.new_condition)]
        return [self.questions[code] for code in dict.fromkeys(codes) if code in self.questions]

    @property
    def forms(self) -> list:
        return [self.words, *self.conditions, self.new_condition, *self.examples, self.new_example]

    @cached_property
    def definition(self) -> dict[str, Any]:
        """The draft as the forms say (call after ``is_valid``)."""
        words = self.words.cleaned_data
        conditions = [c for c in (form.condition for form in (*self.conditions, self.new_condition)) if c]
        examples = [e for e in (form.example for form in (*self.examples, self.new_example)) if e]
        return {
            "code": self.draft.code, "severity": self.draft.severity, "match": self.draft.match,
            "treatments": list(self.draft.treatments or []), "active": words["active"],
            "name": words["name"], "staff_message": words["staff_message"],
            "patient_message": words["patient_message"], "note": words.get("note", ""),
            "translations": self.words.translations(),
            "conditions": conditions, "examples": examples,
        }

    def is_valid(self) -> bool:
        """Every form valid, and the engine finds nothing wrong but a message's words (a warning, which
        blocks publishing, not saving)."""
        if not all([form.is_valid() for form in self.forms]):
            return False
        spec = engine_spec(self.definition, None)
        worded = set(message_problems(spec))
        kept = [form for form in (*self.conditions, self.new_condition) if form.condition]
        for field, message in validate_rule(spec, question_specs()):
            if (field, message) in worded:
                self.warnings.append(message)
            elif field in _WORDS:
                self.words.add_error(field, message)
            elif field == "conditions" and (found := _CONDITION_PREFIX.match(message)) \
                    and int(found.group(1)) <= len(kept):
                kept[int(found.group(1)) - 1].add_error(None, message[found.end():])
            else:
                self.errors.append(message)
        return not self.errors and all(not form.errors for form in self.forms)

    def live_definition(self) -> dict[str, Any]:
        """The words and conditions as posted where they can be read, else as saved: what the words
        preview fills in."""
        definition = draft_definition(self.draft)
        if not self.words.is_bound:
            return definition
        if self.words.is_valid():
            definition.update({name: self.words.cleaned_data[name] for name in _WORDS})
            definition["translations"] = self.words.translations()
        forms = (*self.conditions, self.new_condition)
        if all(form.is_valid() for form in forms):
            definition["conditions"] = [c for c in (form.condition for form in forms) if c]
        return definition

    def message_words(self) -> dict[str, Any]:
        """What the patient (in each language) and staff would read, and the warnings for the words."""
        definition = self.live_definition()
        translations = definition.get("translations") or (self.draft.translations if not self.words.is_bound else {})
        return message_preview(definition, translations=translations)


def message_preview(definition: dict[str, Any], *, translations: dict | None = None) -> dict[str, Any]:
    """The rule's messages with their placeholders filled for a patient at the edge of the window.

    ``{last_date}`` is today, ``{eligible_from}`` today plus the window: what a patient who answered
    today would read; ``translations`` ({language: {"patient_message"}}) the same in each other language
    (``patient_translations``: (code, language's name, words)). Messages contradicting the window are listed as
    warnings.
    """
    spec = engine_spec(definition, None)
    today = clinic_today()
    window = next((c.get("value") for c in definition["conditions"] if c.get("op") == "within_days"), None)
    stops = today + timedelta(days=window) if isinstance(window, int) else None
    evidence = {c.get("question"): True for c in definition["conditions"]}
    answers = dict.fromkeys(evidence, today)
    staff, patient = fill_messages(spec, answers, evidence, stops)
    others = [(code, get_language_info(code)["name"],
               fill_text(text, placeholder_values(spec, answers, evidence, stops, code)))
              for code, words in (translations or {}).items()
              if (text := str((words or {}).get("patient_message") or "").strip())]
    return {"staff": staff, "patient": patient, "patient_translations": others,
            "warnings": [m for _f, m in message_problems(spec)]}
