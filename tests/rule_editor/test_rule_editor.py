"""The plain-language rule editor through the staff pages: no JSON, no ISO date, every problem on its field."""

from __future__ import annotations

import re

import pytest

from screening.audit.models import AuditAction, AuditEvent
from screening.questionnaire.models import RuleDraft

pytestmark = pytest.mark.django_db


def editor_data(client, draft_id: int, **changes) -> dict:
    """The editor's form as the page shows it, with ``changes`` (field name -> value; None removes it)."""
    page = client.get(f"/staff/rules/drafts/{draft_id}/")
    form = page.context["editor"]
    data = {"csrfmiddlewaretoken": "x"}
    for sub in form.forms:
        for name, field in sub.fields.items():
            bound = sub[name]
            value = bound.value()
            key = sub.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list):
                data[key] = value
            elif value is not None and (shown := field.widget.format_value(value)) is not None:
                data[key] = shown
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def start(client, rule) -> RuleDraft:
    response = client.post(f"/staff/rules/{rule.pk}/change/")
    assert response.status_code == 302
    return RuleDraft.objects.get(code=rule.code, status=RuleDraft.Status.DRAFT)


TWELVE_MONTHS = {
    "c0-window_number": "12", "c0-window_unit": "months",
    "e0-eligible_from": "17/07/2027", "e1-expected": "deferred", "e2-eligible_from": "31/07/2027",
}


def test_the_window_shows_in_months_and_saves_as_days(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    page = admin_client.get(f"/staff/rules/drafts/{draft.pk}/")
    condition = page.context["editor"].conditions[0]
    assert (condition["window_number"].value(), condition["window_unit"].value()) == (6, "months")
    assert "183" not in page.content.decode()
    assert "When did you last take isotretinoin?" in page.content.decode()  # the question by its wording

    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/",
                                 editor_data(admin_client, draft.pk, **TWELVE_MONTHS, preview="1"))
    assert response.status_code == 302, response.context["editor"].errors
    assert response["Location"] == f"/staff/rules/drafts/{draft.pk}/preview/"
    assert draft.conditions.get().value == 365
    assert [e.eligible_from.isoformat() if e.eligible_from else None for e in draft.examples.all()] == [
        "2027-07-17", None, "2027-07-31"]
    assert AuditEvent.objects.filter(action=AuditAction.RULE_DRAFT_SAVED).count() == 1
    preview = admin_client.get(f"/staff/rules/drafts/{draft.pk}/preview/")
    assert preview.context["check"].ok, preview.context["check"].problems
    assert "in the last 1 year" in preview.context["words"]["patient"]


@pytest.mark.parametrize("field, value, message", [
    ("c0-window_number", "six", "Enter a whole number."),
    ("c0-window_number", "-3", "greater than or equal to 0"),
    ("c0-window_unit", "fortnights", "Select a valid choice."),
    ("c0-question", "no_such_question", "That question is not in the questionnaire: choose one from the list."),
    ("c0-op", "in", "That does not fit this question&#x27;s answers: choose again from the list."),
    ("e0-on_date", "2027-01-15x", "Enter the date as day/month/year"),
    ("e0-on_date", "", "This field is required."),
    ("e0-eligible_from", "31/02/2027", "Enter the date as day/month/year"),
    ("e0-isotretinoin_last_taken__month", "13/2026", "Please enter a real month"),
    ("e0-expected", "great", "Select a valid choice."),
    ("rule-patient_message", "", "This field is required."),
    ("cnew-question", "isotretinoin_current", "Choose both the question and what its answer must be"),
])
def test_bad_input_is_refused_on_its_field_and_nothing_is_lost(admin_client, isotretinoin, field, value, message):
    draft = start(admin_client, isotretinoin)
    data = editor_data(admin_client, draft.pk, **{"rule-name": "Kept name", field: value})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Kept name"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "Isotretinoin taken recently" and draft.conditions.get().value == 183


def test_both_a_date_and_never_is_refused(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    data = editor_data(admin_client, draft.pk, **{"e0-isotretinoin_last_taken__never": "on"})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 400
    assert "Give one of: a date, a month, or never." in response.content.decode()


def test_fixed_words_that_contradict_the_window_are_a_warning_and_block_publishing(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    words = "You took isotretinoin in the last six months: you can book from {eligible_from}."
    data = editor_data(admin_client, draft.pk, **TWELVE_MONTHS, **{"rule-patient_message": words})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data, follow=True)
    assert response.status_code == 200
    assert "contradicts the window of 1 year" in response.content.decode()
    preview = admin_client.get(f"/staff/rules/drafts/{draft.pk}/preview/")
    assert not preview.context["can_publish"]


def test_a_condition_is_added_from_a_question_and_its_choices(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    data = editor_data(admin_client, draft.pk, **{"cnew-question": "isotretinoin_current", "cnew-op": "is_true"})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 302, response.context["editor"].errors
    assert [c.as_spec() for c in draft.conditions.all()][1] == {"question": "isotretinoin_current", "op": "is_true"}


def test_a_condition_on_a_choice_question_ticks_its_answers_by_their_wording(admin_client):
    from screening.questionnaire.models import Question, Rule

    question = Question.objects.filter(type="choice", active=True).first()
    rule = Rule.objects.get(code="ISOTRETINOIN")
    draft = start(admin_client, rule)
    data = editor_data(admin_client, draft.pk, **{"cnew-question": question.code, "cnew-op": "in"})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 400  # the answers to tick appear, none ticked yet
    body = response.content.decode()
    assert "Tick at least one answer." in body and question.choices[0]["label"] in body
    data["cnew-answers"] = [question.choices[0]["code"]]
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 302, response.context["editor"].errors
    assert draft.conditions.order_by("id").last().value == [question.choices[0]["code"]]


def test_the_words_preview_follows_what_is_typed(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    data = editor_data(admin_client, draft.pk, **{"c0-window_number": "12"})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/words/", data)
    assert response.status_code == 200
    assert "in the last 1 year" in response.content.decode()
    assert draft.conditions.get().value == 183  # only shown, not saved


def test_a_closed_draft_cannot_be_edited(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    data = editor_data(admin_client, draft.pk)
    RuleDraft.objects.filter(pk=draft.pk).update(status=RuleDraft.Status.DISCARDED)
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 302 and response["Location"].endswith("/preview/")


def test_an_example_starts_from_a_past_intake_and_keeps_what_was_typed(admin_client, isotretinoin, reached):
    draft = start(admin_client, isotretinoin)
    pat = reached["confirmed"].intake
    data = editor_data(admin_client, draft.pk, **{"c0-window_number": "12", "from_intake": "1", "intake": pat.pk})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 200
    editor = response.context["editor"]
    assert editor.conditions[0]["window_number"].value() == "12"  # what was typed stays
    taken = pat.answers["isotretinoin_last_taken"]
    shown = f"{taken[8:10]}/{taken[5:7]}/{taken[:4]}"
    assert f'value="{shown}"' in response.content.decode()  # the intake's answer, in the clinic's format
    assert draft.conditions.get().value == 183  # nothing saved yet


def test_an_unknown_intake_for_an_example_is_refused_kindly(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    for value in ("", "abc", "999999"):
        data = editor_data(admin_client, draft.pk, **{"from_intake": "1", "intake": value})
        response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
        assert response.status_code == 400
        assert "Choose one of the recent intakes" in response.content.decode()


def test_choosing_a_question_draws_its_answers_to_tick_without_saving_and_one_save_adds_the_condition(
        admin_client):
    """The no-script way of the editor's one-action condition (the script posts the same, issue 17)."""
    from screening.questionnaire.models import Question, Rule

    question = Question.objects.filter(type="choice", active=True).first()
    draft = start(admin_client, Rule.objects.get(code="ISOTRETINOIN"))
    before = AuditEvent.objects.count()
    data = editor_data(admin_client, draft.pk, **{"cnew-question": question.code, "cnew-op": "in",
                                                  "c0-window_number": "9", "redraw": "1"})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert question.choices[0]["label"] in body and 'name="cnew-answers"' in body
    assert "Tick at least one answer." not in body  # nothing marked wrong before the admin could tick
    assert response.context["editor"].conditions[0]["window_number"].value() == "9"  # nothing typed is lost
    assert draft.conditions.count() == 1 and AuditEvent.objects.count() == before  # nothing saved
    data.pop("redraw")
    data["cnew-answers"] = [question.choices[0]["code"]]
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 302, response.context["editor"].errors
    assert draft.conditions.order_by("id").last().value == [question.choices[0]["code"]]


def test_an_operator_chosen_for_another_question_draws_no_value_boxes_and_never_fails(admin_client, isotretinoin):
    draft = start(admin_client, isotretinoin)
    for op in ("within_days", "nonsense", ""):
        data = editor_data(admin_client, draft.pk, **{"cnew-question": "isotretinoin_current", "cnew-op": op,
                                                      "redraw": "1"})
        response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
        assert response.status_code == 200
        assert response.context["editor"].new_condition.value_fields == []
        assert 'name="cnew-window_number"' not in response.content.decode()


@pytest.mark.parametrize("question_type", ["choice", "multi", "text"])
def test_a_saved_conditions_new_question_shows_choose_for_an_operator_that_no_longer_fits(admin_client,
                                                                                          isotretinoin, question_type):
    """The page must not show an operator as chosen that the server did not read (the browser would show
    the first): "Choose…" is chosen, and choosing an operator draws the boxes for its value."""
    from screening.questionnaire.models import Question

    draft = start(admin_client, isotretinoin)
    question = Question.objects.filter(type=question_type, active=True).order_by("pk").first()
    data = editor_data(admin_client, draft.pk, **{"c0-question": question.code, "redraw": "1"})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 200
    condition = response.context["editor"].conditions[0]
    assert condition.value_fields == []
    body = response.content.decode()
    select = re.search(r'<select name="c0-op".*?</select>', body, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"( selected)?>', select)
    # "Choose…" first and nothing else marked: the browser shows "Choose…" as chosen.
    assert options[0][0] == "" and not any(marked for value, marked in options if value)
    first_fit = condition.fields["op"].choices[1][0]
    data["c0-op"] = first_fit
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.context["editor"].conditions[0].operator.code == first_fit
    redrawn = response.context["editor"].conditions[0]
    assert redrawn.value_fields or redrawn.operator.value == "none"


def test_enter_in_a_text_box_saves_the_draft_its_first_button_is_save_not_a_redraw(admin_client, isotretinoin):
    """A browser's implicit submission (Enter) presses the form's first submit button."""
    draft = start(admin_client, isotretinoin)
    body = admin_client.get(f"/staff/rules/drafts/{draft.pk}/").content.decode()
    form = body.split('id="rule-editor"', 1)[1]
    first_button = re.search(r"<button[^>]*>[^<]*</button>", form).group(0)
    assert 'type="submit"' in first_button and "Save the draft" in first_button
    assert "name=" not in first_button  # neither redraw, preview nor from_intake


def test_a_clinic_admin_retires_a_rule_through_a_draft_and_the_preview_shows_whom_it_frees(
        admin_client, isotretinoin):
    """No superuser needed: untick "The rule screens patients", save, preview, publish."""
    from screening.questionnaire.models import Rule
    from screening.rules import screen_answers
    from tests.rule_editor.conftest import last_taken
    from tests.staff.conftest import make_intake

    kept_back = make_intake(email="kim@example.com", first_name="Kim", answers=last_taken(60))
    assert kept_back.outcome == "deferred"
    draft = start(admin_client, isotretinoin)
    page = admin_client.get(f"/staff/rules/drafts/{draft.pk}/").content.decode()
    box = re.search(r'<input type="checkbox" name="rule-active"[^>]*>', page).group(0)
    assert " checked" in box  # a published rule screens patients
    data = editor_data(admin_client, draft.pk, **{"rule-active": None, "rule-note": "Our dermatologist's advice"})
    response = admin_client.post(f"/staff/rules/drafts/{draft.pk}/", data)
    assert response.status_code == 302, response.context["editor"].errors
    draft.refresh_from_db()
    assert draft.active is False
    audit = AuditEvent.objects.filter(action=AuditAction.RULE_DRAFT_SAVED).latest("id")
    assert audit.detail.endswith("; retires the rule")
    preview = admin_client.get(f"/staff/rules/drafts/{draft.pk}/preview/")
    assert "retires the rule" in preview.content.decode()
    changes = {change.key: (change.before, change.after) for change in preview.context["comparison"].changes}
    assert changes[kept_back.pk] == ("deferred", "eligible")
    admin_client.post(f"/staff/rules/drafts/{draft.pk}/publish/", {})
    assert Rule.objects.get(code="ISOTRETINOIN").active is False
    from screening.questionnaire.selectors import rule_data
    questions, rules = rule_data()
    assert "ISOTRETINOIN" not in {r["code"] for r in rules}
    result = screen_answers(kept_back.answers, rules=rules, questions=questions, treatment="face",
                            on_date=kept_back.submitted_at.date())
    assert "ISOTRETINOIN" not in {flag.rule for flag in result.flags}
