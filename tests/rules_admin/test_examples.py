"""Examples: the default rules carry them, the preview shows them, and a failing one blocks publishing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from screening.questionnaire import defaults
from screening.questionnaire.admin_selectors import rule_definition
from screening.questionnaire.examples import neutral_answers, run_examples
from screening.questionnaire.models import Rule, RuleDraft
from screening.questionnaire.selectors import rule_data
from screening.questionnaire.services import RulesAdminError, check_definition, draft_publish, draft_start
from tests.rules_admin.conftest import draft_form

pytestmark = pytest.mark.django_db


def _draft_with_examples(client, admin_user, examples) -> RuleDraft:
    draft = draft_start(rule=Rule.objects.get(code="METAL_ALLERGY"), by=admin_user)
    data = draft_form(draft=draft, severity="block", examples=examples)
    assert client.post(reverse("admin:questionnaire_ruledraft_change", args=[draft.pk]), data).status_code == 302
    draft.refresh_from_db()
    return draft


def test_the_seeded_rules_carry_their_examples_and_every_one_passes():
    questions, rules = rule_data()
    assert len(rules) == len(defaults.RULES) == 34
    for rule in Rule.objects.all():
        assert rule.examples == next(r["examples"] for r in defaults.RULES if r["code"] == rule.code)
        check = check_definition(rule_definition(rule), questions=questions, rules=rules,
                                 treatments=["face", "scalp", "body"])
        assert check.ok, (rule.code, check.problems)
        assert len(check.examples) >= 2


def test_a_failing_example_blocks_publishing_from_the_admin(admin_client, admin_user):
    draft = _draft_with_examples(admin_client, admin_user, [
        {"answers": '{"metal_allergy": true}', "expected": "not_suitable"},
        {"answers": '{"metal_allergy": true}', "expected": "review", "note": "the old behaviour"},
    ])

    preview = admin_client.get(reverse("admin:questionnaire_ruledraft_preview", args=[draft.pk]))
    response = admin_client.post(reverse("admin:questionnaire_ruledraft_publish", args=[draft.pk]), follow=True)

    assert [r.passed for r in preview.context["check"].examples] == [True, False]
    assert "Example 2 fails: expected review, got not_suitable (METAL_ALLERGY)." in preview.context["check"].problems
    assert b"FAILS: expected review" in preview.content
    assert b'action="' + reverse("admin:questionnaire_ruledraft_publish", args=[draft.pk]).encode() not in preview.content
    assert "Not published" in " ".join(str(m) for m in response.context["messages"])
    rule = Rule.objects.get(code="METAL_ALLERGY")
    assert (rule.severity, rule.revision) == ("review", 1)
    assert RuleDraft.objects.get(pk=draft.pk).status == RuleDraft.Status.DRAFT


def test_the_service_refuses_too_and_says_which_example(admin_user, client):
    client.force_login(admin_user)
    draft = _draft_with_examples(client, admin_user, [
        {"answers": '{"metal_allergy": false}', "expected": "not_suitable"},
    ])

    with pytest.raises(RulesAdminError) as refused:
        draft_publish(draft=draft, by=admin_user)

    assert refused.value.problems == ["Example 1 fails: expected not_suitable, got eligible."]


def test_fixing_the_example_lets_it_publish(admin_client, admin_user):
    draft = _draft_with_examples(admin_client, admin_user, [
        {"answers": '{"metal_allergy": true}', "expected": "review"},
    ])
    data = draft_form(draft=draft, examples=[{"answers": '{"metal_allergy": true}', "expected": "not_suitable"},
                                             {"answers": '{"metal_allergy": false}', "expected": "eligible"}])
    assert admin_client.post(reverse("admin:questionnaire_ruledraft_change", args=[draft.pk]), data).status_code == 302

    admin_client.post(reverse("admin:questionnaire_ruledraft_publish", args=[draft.pk]))

    assert Rule.objects.get(code="METAL_ALLERGY").revision == 2


def test_a_rule_needs_at_least_one_example_to_be_published(admin_user, client):
    client.force_login(admin_user)
    draft = _draft_with_examples(client, admin_user, [])

    with pytest.raises(RulesAdminError) as refused:
        draft_publish(draft=draft, by=admin_user)

    assert "at least one example" in refused.value.problems[0]


def test_an_eligible_from_date_in_an_example_is_checked():
    questions, rules = rule_data()
    example = {"answers": {"isotretinoin_last_taken": "2026-07-17"}, "treatment": "face", "on_date": "2027-01-15",
               "expected": "deferred", "eligible_from": "2027-02-01"}

    (result,) = run_examples("ISOTRETINOIN", [example], rules=rules, questions=questions)

    assert result.problem == "expected eligible from 2027-02-01, got 2027-01-16"


def test_examples_of_other_rules_that_a_change_breaks_are_shown_without_blocking(admin_client, admin_user):
    draft = _draft_with_examples(admin_client, admin_user, [])
    data = draft_form(draft=draft, code="METAL_ALLERGY", severity="block",
                      conditions=[{"question": "bleeding_disorder", "op": "is_true"}],
                      examples=[{"answers": '{"bleeding_disorder": true}', "expected": "not_suitable"}])
    assert admin_client.post(reverse("admin:questionnaire_ruledraft_change", args=[draft.pk]), data).status_code == 302

    preview = admin_client.get(reverse("admin:questionnaire_ruledraft_preview", args=[draft.pk]))

    assert [r.rule for r in preview.context["other_failing"]] == ["BLEEDING_DISORDER"]
    assert preview.context["check"].ok


def test_neutral_answers_fill_a_question_the_clinic_added():
    questions = [*defaults.QUESTIONS, {"code": "sunbed_use", "type": "yes_no", "required": True},
                 {"code": "skin_type", "type": "choice", "required": True, "choices": ["i", "ii"]}]

    answers = neutral_answers(questions, date(2027, 1, 15))

    assert answers["sunbed_use"] is False and answers["skin_type"] == "i"
    assert answers["date_of_birth"] == date(1992, 1, 15)
