"""A questionnaire version as a FHIR ``Questionnaire``; an intake's answers as its ``QuestionnaireResponse``.

Each step is a group item; each question an item whose ``linkId`` is the
question's code, which is also what rules and evidence name. Show-when
becomes ``enableWhen`` with FHIR's own semantics, which are ours
(``screening/rules/visibility.py``): an item is enabled when its parent's
answer is the value (for a several-choices parent: one of its answers is),
and a disabled parent has no answer, so its children are disabled too.
``show_when_of`` reads an item's ``enableWhen`` back, so the mapping is
tested both ways.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screening.fhir.common import (
    CHOICE_SYSTEM,
    NOT_SURE_CODE,
    QUESTIONNAIRE_URL,
    instant,
    reference,
    without_empty,
)
from screening.intake.models import Intake
from screening.questionnaire.models import QuestionnaireVersion
from screening.rules import is_shown

ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
# The standard extension for a text in another language, on the text's own element ("_text", "_display").
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"
NOT_SURE_LABEL = "Not sure"
# FHIR's "string" is a short answer; longer free text is "text".
STRING_LIMIT = 255


def canonical(version: QuestionnaireVersion) -> str:
    return f"{QUESTIONNAIRE_URL}|{version.number}"


def questionnaire_resource(version: QuestionnaireVersion, *, latest: bool = True) -> dict[str, Any]:
    """The version as a Questionnaire; an older version than the latest is ``retired``."""
    definition = version.definition or {}
    questions = definition.get("questions", [])
    by_code = {q["code"]: q for q in questions}
    words = _Words(definition.get("translations") or {})
    return without_empty({
        "resourceType": "Questionnaire",
        "id": str(version.number),
        "language": "en",
        "url": QUESTIONNAIRE_URL,
        "version": str(version.number),
        "name": "ClinicIntake",
        "title": "Microneedling intake questionnaire",
        "status": "active" if latest else "retired",
        "date": instant(version.published_at),
        "subjectType": ["Patient"],
        "item": [
            without_empty({
                "linkId": f"step-{step['number']}",
                "type": "group",
                "text": step.get("title") or f"Step {step['number']}",
                "_text": words.step(step["number"]),
                "item": [_question_item(q, by_code, words) for q in _step_questions(questions, step["number"])],
            })
            for step in definition.get("steps", [])
            if _step_questions(questions, step["number"])
        ],
    })


def _step_questions(questions: list[Mapping[str, Any]], number: int) -> list[Mapping[str, Any]]:
    return sorted((q for q in questions if q.get("step") == number), key=lambda q: (q.get("order") or 0))


class _Words:
    """A version's words in the other languages, as the ``translation`` extensions of its texts."""

    def __init__(self, translations: Mapping[str, Any]) -> None:
        self.translations = translations

    def _element(self, texts: Mapping[str, Any]) -> dict[str, Any] | None:
        extensions = [{"url": TRANSLATION, "extension": [{"url": "lang", "valueCode": language},
                                                        {"url": "content", "valueString": str(text)}]}
                      for language, text in sorted(texts.items()) if str(text or "").strip()]
        return {"extension": extensions} if extensions else None

    def step(self, number: int) -> dict[str, Any] | None:
        return self._element({lang: (words.get("steps") or {}).get(str(number), {}).get("title")
                              for lang, words in self.translations.items()})

    def question(self, code: str, field: str) -> dict[str, Any] | None:
        return self._element({lang: (words.get("questions") or {}).get(code, {}).get(field)
                              for lang, words in self.translations.items()})

    def choice(self, code: str, choice: str) -> dict[str, Any] | None:
        return self._element({lang: ((words.get("questions") or {}).get(code, {}).get("choice_labels") or {})
                              .get(choice) for lang, words in self.translations.items()})


def _question_item(question: Mapping[str, Any], by_code: Mapping[str, Mapping[str, Any]],
                   words: _Words | None = None) -> dict[str, Any]:
    kind = question["type"]
    words = words or _Words({})
    item: dict[str, Any] = {"linkId": question["code"], "text": question["label"],
                            "required": bool(question.get("required"))}
    if (text := words.question(question["code"], "label")) is not None:
        item["_text"] = text
    if kind == "yes_no" and question.get("allow_not_sure"):
        item["type"] = "choice"
        item["answerOption"] = [_option(True), _option(False), _option(NOT_SURE_CODE, NOT_SURE_LABEL)]
    elif kind == "yes_no":
        item["type"] = "boolean"
    elif kind == "date":
        item["type"] = "date"  # a month and year is a FHIR date too ("2026-11")
    elif kind in ("choice", "multi"):
        item["type"] = "choice"
        item["repeats"] = kind == "multi"
        item["answerOption"] = [_option(c["code"], c.get("label", ""), words.choice(question["code"], c["code"]))
                                for c in question.get("choices") or []]
    else:
        limit = question.get("max_length")
        item["type"] = "string" if limit and limit <= STRING_LIMIT else "text"
        if limit:
            item["maxLength"] = limit
    if question.get("show_when_question"):
        item["enableWhen"] = [_enable_when(question, by_code.get(question["show_when_question"]))]
    if question.get("help_text"):
        item["item"] = [_help_item(question, words.question(question["code"], "help_text"))]
    return item


def _option(value: Any, label: str = "", display_words: dict[str, Any] | None = None) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"valueCoding": {"system": CHOICE_SYSTEM, "code": "yes" if value else "no",
                                "display": "Yes" if value else "No"}}
    return {"valueCoding": without_empty({"system": CHOICE_SYSTEM, "code": str(value), "display": label,
                                          "_display": display_words if label else None})}


def _enable_when(question: Mapping[str, Any], parent: Mapping[str, Any] | None) -> dict[str, Any]:
    value = question.get("show_when_value")
    condition: dict[str, Any] = {"question": question["show_when_question"], "operator": "="}
    if isinstance(value, bool) and parent is not None and _is_boolean_item(parent):
        condition["answerBoolean"] = value
    elif isinstance(value, bool):  # a yes / no / not sure parent is a choice item
        condition["answerCoding"] = {"system": CHOICE_SYSTEM, "code": "yes" if value else "no"}
    else:
        condition["answerCoding"] = {"system": CHOICE_SYSTEM, "code": str(value)}
    return condition


def _help_item(question: Mapping[str, Any], text_words: dict[str, Any] | None = None) -> dict[str, Any]:
    return without_empty({
        "linkId": f"{question['code']}-help", "type": "display", "text": question["help_text"],
        "_text": text_words,
        "extension": [{"url": ITEM_CONTROL, "valueCodeableConcept": {
            "coding": [{"system": ITEM_CONTROL_SYSTEM, "code": "help"}]}}],
    })


def _is_boolean_item(question: Mapping[str, Any]) -> bool:
    return question["type"] == "yes_no" and not question.get("allow_not_sure")


def show_when_of(item: Mapping[str, Any], parent_item: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """An item's ``enableWhen`` read back as our show-when (``{"question", "value"}``), or None.

    ``parent_item`` is the item the condition names: a yes / no / not sure
    parent is a choice item, whose "yes" and "no" are our true and false.
    """
    conditions = item.get("enableWhen") or []
    if not conditions:
        return None
    (condition,) = conditions  # we write one condition per item
    if "answerBoolean" in condition:
        value: Any = condition["answerBoolean"]
    else:
        value = condition["answerCoding"]["code"]
        if parent_item is not None and _offers_not_sure(parent_item) and value in ("yes", "no"):
            value = value == "yes"
    return {"question": condition["question"], "value": value}


def _offers_not_sure(item: Mapping[str, Any]) -> bool:
    codes = {option.get("valueCoding", {}).get("code") for option in item.get("answerOption") or []}
    return codes == {"yes", "no", NOT_SURE_CODE}


# --- the response ----------------------------------------------------------------------


def response_id(intake: Intake) -> str:
    return str(intake.public_id)


def questionnaire_response_resource(intake: Intake, *, patient_id: str) -> dict[str, Any]:
    """A submitted intake's answers, item for item as its version asked them (hidden questions left out)."""
    version = intake.questionnaire_version
    definition = (version.definition if version else None) or {}
    questions = definition.get("questions", [])
    specs = {q["code"]: _visibility_spec(q) for q in questions}
    answers = intake.answers or {}
    groups = []
    for step in definition.get("steps", []):
        items = [
            {"linkId": q["code"], "text": q["label"], "answer": values}
            for q in _step_questions(questions, step["number"])
            if q["code"] in answers and is_shown(q["code"], answers, specs)
            and (values := _answers(q, answers[q["code"]]))
        ]
        if items:
            groups.append({"linkId": f"step-{step['number']}", "text": step.get("title") or "", "item": items})
    if version is None:  # an intake from before versions: its answers as they are, in one group
        groups = [{"linkId": "answers", "item": [
            {"linkId": code, "answer": values} for code, value in sorted(answers.items())
            if (values := _answers({"type": _type_of(value)}, value))
        ]}]
    return without_empty({
        "resourceType": "QuestionnaireResponse",
        "id": response_id(intake),
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{intake.public_id}"},
        "questionnaire": canonical(version) if version else None,
        "status": "completed" if intake.is_submitted else "in-progress",
        "subject": reference("Patient", patient_id) if patient_id else None,
        "authored": instant(intake.submitted_at or intake.updated_at),
        "item": groups,
    })


def _type_of(value: Any) -> str:
    return {bool: "yes_no", list: "multi"}.get(type(value), "text")


def _visibility_spec(question: Mapping[str, Any]) -> dict[str, Any]:
    parent = question.get("show_when_question")
    return {"code": question["code"],
            "show_when": {"question": parent, "value": question.get("show_when_value")} if parent else None}


def _answers(question: Mapping[str, Any], value: Any) -> list[dict[str, Any]]:
    """The FHIR answers of one stored JSON answer (none for an empty one: FHIR has no empty answer)."""
    kind = question["type"]
    labels = {c["code"]: c.get("label", "") for c in question.get("choices") or []}
    if value is None or value == "" or value == []:
        return []
    if kind == "yes_no":
        if question.get("allow_not_sure"):
            code = NOT_SURE_CODE if value == NOT_SURE_CODE else ("yes" if value is True else "no")
            return [_option(value is True) if code != NOT_SURE_CODE else _option(code, NOT_SURE_LABEL)]
        return [{"valueBoolean": bool(value)}]
    if kind == "date":
        return [{"valueDate": str(value)}]
    if kind in ("choice", "multi"):
        values = value if isinstance(value, list) else [value]
        return [_option(str(v), labels.get(v, "")) for v in values]
    return [{"valueString": str(value)}]
