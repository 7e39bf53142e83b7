"""A questionnaire version as a FHIR Questionnaire: show-when goes out as enableWhen and comes back the same."""

from __future__ import annotations

import pytest
from django.utils import timezone

from screening.fhir.questionnaire import questionnaire_resource, show_when_of
from screening.questionnaire.models import QuestionnaireVersion
from screening.questionnaire.versions import questionnaire_publish
from tests.fhir.conftest import r4b


def _question(code, type_, step=1, **more):
    return {"step": step, "code": code, "order": 0, "type": type_, "kind": "none", "label": code.title(),
            "help_text": "", "required": True, "choices": [], "show_when_question": "", "show_when_value": None,
            "max_length": None, "allow_not_sure": False, **more}


SHOW_WHEN = QuestionnaireVersion(number=7, published_at=timezone.now(), definition={
    "steps": [{"number": 1, "title": "Health", "intro": ""}],
    "questions": [
        _question("thinners", "yes_no"),
        _question("thinner_name", "text", max_length=200, show_when_question="thinners", show_when_value=True),
        _question("pregnant", "yes_no", allow_not_sure=True),
        _question("due_date", "date", show_when_question="pregnant", show_when_value=True),
        _question("not_sure_why", "text", show_when_question="pregnant", show_when_value="not_sure"),
        _question("areas", "multi", choices=[{"code": "face", "label": "Face"}, {"code": "neck", "label": "Neck"}]),
        _question("neck_detail", "choice", choices=[{"code": "front", "label": "Front"}],
                  show_when_question="areas", show_when_value="neck", help_text="Where on the neck?"),
    ],
})


def _items(questionnaire: dict) -> dict[str, dict]:
    return {item["linkId"]: item for group in questionnaire["item"] for item in group["item"]}


def _round_trip(version: QuestionnaireVersion) -> dict[str, dict | None]:
    """Each question's show-when, read back from the Questionnaire after it went through R4B."""
    parsed = r4b(questionnaire_resource(version)).model_dump(mode="json", exclude_none=True)
    items = _items(parsed)
    return {code: show_when_of(item, items.get((item.get("enableWhen") or [{}])[0].get("question")))
            for code, item in items.items()}


def _show_whens(version: QuestionnaireVersion) -> dict[str, dict | None]:
    return {q["code"]: ({"question": q["show_when_question"], "value": q["show_when_value"]}
                        if q.get("show_when_question") else None)
            for q in version.definition["questions"]}


def test_show_when_round_trips_through_enable_when():
    assert _round_trip(SHOW_WHEN) == _show_whens(SHOW_WHEN)


def test_enable_when_uses_the_parents_answer_type():
    items = _items(questionnaire_resource(SHOW_WHEN))
    assert items["thinner_name"]["enableWhen"] == [{"question": "thinners", "operator": "=", "answerBoolean": True}]
    # A yes / no / not sure parent is a choice: its "yes" is a coding, as its answers are.
    assert items["due_date"]["enableWhen"][0]["answerCoding"]["code"] == "yes"
    assert items["not_sure_why"]["enableWhen"][0]["answerCoding"]["code"] == "not_sure"
    assert items["areas"]["repeats"] is True and items["neck_detail"]["item"][0]["type"] == "display"
    assert items["thinner_name"]["type"] == "string" and items["thinner_name"]["maxLength"] == 200


@pytest.mark.django_db
def test_the_default_questionnaire_round_trips_too():
    version, _new = questionnaire_publish()
    show_whens = _show_whens(version)
    assert any(show_whens.values()), "the default questionnaire has show-when questions"
    assert _round_trip(version) == show_whens


@pytest.mark.django_db
def test_an_older_version_is_retired():
    version, _new = questionnaire_publish()
    assert questionnaire_resource(version)["status"] == "active"
    assert questionnaire_resource(version, latest=False)["status"] == "retired"


TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"


def _spanish(element: dict) -> str | None:
    for extension in (element or {}).get("extension", []):
        if extension["url"] == TRANSLATION:
            parts = {e["url"]: e.get("valueCode") or e.get("valueString") for e in extension["extension"]}
            if parts["lang"] == "es":
                return parts["content"]
    return None


@pytest.mark.django_db
def test_a_published_version_carries_its_spanish_as_translation_extensions_valid_r4b():
    version, _new = questionnaire_publish()
    parsed = r4b(questionnaire_resource(version)).model_dump(mode="json", by_alias=True, exclude_none=True)
    assert parsed["language"] == "en"
    groups = {group["linkId"]: group for group in parsed["item"]}
    assert groups["step-1"]["text"] == "About you" and _spanish(groups["step-1"]["_text"]) == "Sobre usted"
    items = _items(parsed)
    assert _spanish(items["date_of_birth"]["_text"]) == "Fecha de nacimiento"
    assert items["date_of_birth"]["text"] == "Date of birth"
    concerns = {o["valueCoding"]["code"]: o["valueCoding"] for o in items["concerns"]["answerOption"]}
    assert _spanish(concerns["wrinkles"]["_display"]) == "Líneas finas y arrugas"
    [help_item] = items["date_of_birth"]["item"]
    assert _spanish(help_item["_text"]).startswith("Solo tratamos a personas adultas")


def test_a_version_without_translations_has_no_extension():
    items = _items(questionnaire_resource(SHOW_WHEN))
    assert all("_text" not in item for item in items.values())
