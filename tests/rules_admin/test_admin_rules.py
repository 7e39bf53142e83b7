"""Rules through the admin's own forms: create, validate, change, publish, retire."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from screening.audit.models import AuditEvent
from screening.intake.models import Flag
from screening.questionnaire.models import Question, Rule, RuleDraft, RuleRevision
from screening.rules import OPERATORS, Operator
from screening.setup import forms as rule_forms
from tests.rules_admin.conftest import days_ago, draft_form, latest_screening, submit_intake

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:questionnaire_ruledraft_add")

FACE_SCARS = {
    "code": "FACE_SCARS",
    "name": "Acne scars with isotretinoin history",
    "severity": "review",
    "match": "all",
    "treatments": ["face"],
    "staff_message": "Acne scars and isotretinoin in the last 2 years: check healing history.",
    "patient_message": "One of our clinicians will look at your answers first.",
}
FACE_SCARS_CONDITIONS = [
    {"question": "concerns", "op": "contains_any", "value": "acne_scars, other_scars"},
    {"question": "isotretinoin_last_taken", "op": "within_days", "value": "730"},
]
FACE_SCARS_EXAMPLES = [
    {"answers": '{"concerns": ["acne_scars"], "isotretinoin_last_taken": "2026-01-01"}', "expected": "review"},
    {"answers": '{"concerns": ["acne_scars"]}', "expected": "eligible"},
]


def _publish(client, draft: RuleDraft):
    return client.post(reverse("admin:questionnaire_ruledraft_publish", args=[draft.pk]))


def _create_draft(client, **overrides) -> RuleDraft:
    data = draft_form(conditions=FACE_SCARS_CONDITIONS, examples=FACE_SCARS_EXAMPLES, **{**FACE_SCARS, **overrides})
    response = client.post(ADD_URL, data)
    assert response.status_code == 302, _errors(response)
    draft = RuleDraft.objects.get(code=data["code"], status=RuleDraft.Status.DRAFT)
    assert response["Location"] == reverse("admin:questionnaire_ruledraft_preview", args=[draft.pk])
    return draft


def _errors(response) -> str:
    context = response.context
    if context is None:
        return str(response.status_code)
    parts = [str(context["adminform"].form.errors)]
    for formset in context["inline_admin_formsets"]:
        parts += [str(formset.formset.errors), str(formset.formset.non_form_errors())]
    return "\n".join(parts)


def _inline_errors(response, prefix: str) -> list[dict[str, str]]:
    """Each row's errors as field -> the messages, joined."""
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)
    return [{field: " ".join(messages) for field, messages in errors.items()} for errors in formset.errors]


def _non_form_errors(response, prefix: str) -> list[str]:
    formset = next(f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == prefix)
    return list(formset.non_form_errors())


# --- a new rule -----------------------------------------------------------------------------


def test_a_rule_created_through_the_admin_flags_the_next_intake_that_matches_it(admin_client, admin_user):
    before = submit_intake({"concerns": ["acne_scars"], "isotretinoin_last_taken": days_ago(300)})
    assert before.outcome == "eligible"

    draft = _create_draft(admin_client)
    assert draft.conditions.count() == 2 and draft.examples.count() == 2
    assert RuleDraft.objects.get(pk=draft.pk).created_by == admin_user
    # Saved, not published: nothing screens with it yet.
    assert not Rule.objects.filter(code="FACE_SCARS").exists()
    response = _publish(admin_client, draft)
    rule = Rule.objects.get(code="FACE_SCARS")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:questionnaire_rule_change", args=[rule.pk])

    matching = submit_intake({"concerns": ["acne_scars", "wrinkles"], "isotretinoin_last_taken": days_ago(300)})
    other_treatment = submit_intake({"concerns": ["acne_scars"], "isotretinoin_last_taken": days_ago(300)},
                                    treatment="body")
    not_matching = submit_intake({"concerns": ["wrinkles"], "isotretinoin_last_taken": days_ago(300)})

    assert matching.outcome == "review"
    (flag,) = latest_screening(matching).flags.all()
    assert (flag.rule, flag.rule_code, flag.rule_revision) == (rule, "FACE_SCARS", 1)
    assert flag.evidence == {"concerns": ["acne_scars", "wrinkles"], "isotretinoin_last_taken": days_ago(300)}
    assert other_treatment.outcome == "eligible"
    assert not_matching.outcome == "eligible"
    # The intake screened before the rule existed keeps its result.
    before.refresh_from_db()
    assert before.outcome == "eligible" and not latest_screening(before).flags.exists()
    assert rule.conditions == [
        {"question": "concerns", "op": "contains_any", "value": ["acne_scars", "other_scars"]},
        {"question": "isotretinoin_last_taken", "op": "within_days", "value": 730},
    ]
    assert rule.treatments == ["face"] and len(rule.examples) == 2


def test_publishing_is_recorded_as_a_revision_with_who_and_when(admin_client, admin_user):
    draft = _create_draft(admin_client)
    _publish(admin_client, draft)

    revision = RuleRevision.objects.get(rule__code="FACE_SCARS")
    assert (revision.number, revision.source, revision.published_by, revision.draft_id) == (
        1, RuleRevision.Source.DRAFT, admin_user, draft.pk)
    assert timezone.now() - revision.published_at < timedelta(minutes=1)
    assert revision.definition["conditions"][1] == {"question": "isotretinoin_last_taken", "op": "within_days",
                                                     "value": 730}
    draft.refresh_from_db()
    assert draft.status == RuleDraft.Status.PUBLISHED
    event = AuditEvent.objects.get(action="rule_published")
    assert (event.actor, event.object_id, event.detail) == (admin_user, str(revision.rule_id), "FACE_SCARS revision 1")


def test_publish_only_answers_a_post(admin_client):
    draft = _create_draft(admin_client)

    response = admin_client.get(reverse("admin:questionnaire_ruledraft_publish", args=[draft.pk]))

    assert response.status_code == 302
    assert not Rule.objects.filter(code="FACE_SCARS").exists()


def test_a_new_rule_may_not_take_the_code_of_an_existing_one(admin_client):
    data = draft_form(conditions=FACE_SCARS_CONDITIONS, examples=FACE_SCARS_EXAMPLES,
                      **{**FACE_SCARS, "code": "KELOID"})

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "exists already" in " ".join(response.context["adminform"].form.errors["code"])


# --- field errors ------------------------------------------------------------------------------


def _post_invalid(admin_client, conditions, **fields):
    data = draft_form(conditions=conditions, examples=FACE_SCARS_EXAMPLES, **{**FACE_SCARS, **fields})
    response = admin_client.post(ADD_URL, data)
    assert response.status_code == 200, "an invalid rule must not be saved"
    assert not RuleDraft.objects.filter(code=data["code"]).exists()
    return response


def test_an_unknown_question_is_named_on_the_question_field(admin_client):
    response = _post_invalid(admin_client, [{"question": "shoe_size", "op": "is_true"}])

    assert "shoe_size" in (_inline_errors(response, "conditions")[0]["question"])


def test_an_operator_that_does_not_fit_the_question_is_named_on_the_operator_field(admin_client):
    response = _post_invalid(admin_client, [{"question": "diabetes", "op": "is_true"}])

    error = (_inline_errors(response, "conditions")[0]["op"])
    assert "does not fit diabetes" in error and "One choice" in error


def test_a_missing_window_is_named_on_the_value_field(admin_client):
    response = _post_invalid(admin_client, [{"question": "isotretinoin_last_taken", "op": "within_days", "value": ""}],
                             severity="defer")

    assert "needs a window" in (_inline_errors(response, "conditions")[0]["value"])


def test_a_window_that_is_not_a_number_is_named_on_the_value_field(admin_client):
    response = _post_invalid(admin_client, [{"question": "isotretinoin_last_taken", "op": "within_days",
                                             "value": "six months"}])

    assert "whole number of days" in (_inline_errors(response, "conditions")[0]["value"])


def test_an_unknown_choice_is_named_on_the_value_field(admin_client):
    response = _post_invalid(admin_client, [{"question": "diabetes", "op": "in", "value": "uncontrolled, sometimes"}])

    assert "'sometimes' is not one of the choices" in (_inline_errors(response, "conditions")[0]["value"])


def test_each_bad_condition_gets_its_own_error(admin_client):
    response = _post_invalid(admin_client, [
        {"question": "bleeding_disorder", "op": "is_true"},
        {"question": "diabetes", "op": "within_days", "value": "3"},
    ])

    errors = _inline_errors(response, "conditions")
    assert errors[0] == {} and "op" in errors[1]


def test_an_empty_patient_message_is_named_on_its_field(admin_client):
    response = _post_invalid(admin_client, FACE_SCARS_CONDITIONS, patient_message="   ")

    assert "patient_message" in response.context["adminform"].form.errors


def test_a_rule_without_conditions_is_refused(admin_client):
    response = _post_invalid(admin_client, [])

    assert "at least one condition" in " ".join(_non_form_errors(response, "conditions"))


def test_a_defer_rule_without_a_date_window_is_refused(admin_client):
    response = _post_invalid(admin_client, [{"question": "bleeding_disorder", "op": "is_true"}], severity="defer")

    assert "needs a date window" in " ".join(_non_form_errors(response, "conditions"))


def test_an_example_with_an_unreadable_answer_is_named_on_its_field(admin_client):
    data = draft_form(conditions=FACE_SCARS_CONDITIONS, examples=[{"answers": '{"diabetes": "sometimes"}',
                                                                   "expected": "eligible"}], **FACE_SCARS)

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "diabetes" in (_inline_errors(response, "examples")[0]["answers"])


def test_the_operator_options_say_which_question_types_they_fit(admin_client):
    response = admin_client.get(ADD_URL)

    html = response.content.decode()
    assert 'value="within_days" data-types="date"' in html
    assert 'data-type="yes_no"' in html and "setup/conditions.js" in html


def _operator_options(html: str) -> dict[str, dict[str, str]]:
    """The first condition row's operator <option>s: value -> their attributes."""
    select = re.search(r'<select name="conditions-0-op".*?</select>', html, re.S).group(0)
    return {
        attrs["value"]: attrs
        for attrs in (dict(re.findall(r'([\w-]+)="([^"]*)"', option))
                      for option in re.findall(r"<option([^>]*)>", select))
        if attrs.get("value")
    }


def test_the_operator_list_and_its_hints_come_from_the_engines_registry(admin_client):
    options = _operator_options(admin_client.get(ADD_URL).content.decode())

    # Every operator that fits a question of the questionnaire, as the registry describes it.
    asked_types = {q.type for q in Question.objects.filter(active=True)}
    assert list(options) == [code for code, op in OPERATORS.items() if op.fits & asked_types]
    for code, attrs in options.items():
        operator = OPERATORS[code]
        assert attrs["data-types"] == " ".join(sorted(operator.fits))
        assert (attrs["data-value"], attrs["data-hint"]) == (operator.value, operator.hint)
    assert options["age_under"]["data-hint"] == "number of years"
    # The page's script keeps no list of its own: it reads the options.
    script = (settings.BASE_DIR / "static" / "setup" / "conditions.js").read_text()
    assert "data-hint" in script and "within_days" not in script and "window" not in script


def test_an_operator_added_to_the_registry_is_offered_with_its_words(admin_client, monkeypatch):
    is_answered = Operator("is_answered", "is answered", frozenset({"text"}), "none", lambda *args: (True, None))
    monkeypatch.setattr(rule_forms, "OPERATORS", {**OPERATORS, "is_answered": is_answered})

    html = admin_client.get(ADD_URL).content.decode()

    assert _operator_options(html)["is_answered"]["data-hint"] == "(no value)"
    assert ">is answered</option>" in html


# --- changing a published rule ------------------------------------------------------------


def _start_change(client, code: str) -> RuleDraft:
    rule = Rule.objects.get(code=code)
    response = client.post(reverse("admin:questionnaire_rule_start_change", args=[rule.pk]))
    draft = RuleDraft.objects.get(rule=rule, status=RuleDraft.Status.DRAFT)
    assert response["Location"] == reverse("admin:questionnaire_ruledraft_change", args=[draft.pk])
    return draft


def test_a_change_makes_a_revision_and_earlier_intakes_keep_their_outcome_and_flags(admin_client):
    earlier = submit_intake({"isotretinoin_last_taken": days_ago(100)})
    assert earlier.outcome == "deferred"
    earlier_screening = latest_screening(earlier)
    earlier_flags = list(earlier_screening.flags.values_list("rule_code", "rule_revision", "eligible_from"))
    assert [(code, revision) for code, revision, _ in earlier_flags] == [("ISOTRETINOIN", 1)]

    draft = _start_change(admin_client, "ISOTRETINOIN")
    assert (draft.base_revision, draft.conditions.get().value) == (1, 183)
    data = draft_form(
        draft=draft, staff_message="Isotretinoin within 90 days.", note="Our dermatologist's advice: 3 months.",
        conditions=[{"question": "isotretinoin_last_taken", "op": "within_days", "value": "90"}],
        examples=[
            {"answers": '{"isotretinoin_last_taken": "2026-10-18"}', "expected": "deferred",
             "eligible_from": "2027-01-16"},
            {"answers": '{"isotretinoin_last_taken": "2026-10-17"}', "expected": "eligible"},
        ],
    )
    response = admin_client.post(reverse("admin:questionnaire_ruledraft_change", args=[draft.pk]), data)
    assert response.status_code == 302, _errors(response)
    response = _publish(admin_client, draft)
    assert response.status_code == 302

    rule = Rule.objects.get(code="ISOTRETINOIN")
    assert rule.revision == 2 and rule.conditions[0]["value"] == 90
    revisions = {r.number: r for r in rule.revisions.all()}
    assert revisions[1].definition["conditions"][0]["value"] == 183
    assert revisions[2].definition["conditions"][0]["value"] == 90
    assert revisions[2].note == "Our dermatologist's advice: 3 months."
    # The earlier intake keeps its snapshot: outcome, flags and the revision that raised them.
    earlier.refresh_from_db()
    assert earlier.outcome == "deferred"
    assert latest_screening(earlier) == earlier_screening
    assert list(earlier_screening.flags.values_list("rule_code", "rule_revision", "eligible_from")) == earlier_flags
    # A new intake with the same answers is screened by revision 2.
    again = submit_intake({"isotretinoin_last_taken": days_ago(100)})
    assert again.outcome == "eligible"
    deferred = submit_intake({"isotretinoin_last_taken": days_ago(30)})
    assert list(latest_screening(deferred).flags.values_list("rule_code", "rule_revision")) == [("ISOTRETINOIN", 2)]


def test_starting_a_change_twice_opens_the_same_draft(admin_client):
    first = _start_change(admin_client, "KELOID")
    second = _start_change(admin_client, "KELOID")

    assert first == second


def test_a_draft_overtaken_by_another_publication_is_refused(admin_client):
    draft = _start_change(admin_client, "KELOID")
    Rule.objects.filter(code="KELOID").update(revision=5)  # published meanwhile (an import, say)

    response = _publish(admin_client, draft)

    assert response["Location"] == reverse("admin:questionnaire_ruledraft_preview", args=[draft.pk])
    assert Rule.objects.get(code="KELOID").revision == 5
    assert RuleDraft.objects.get(pk=draft.pk).status == RuleDraft.Status.DRAFT


def test_a_used_rule_is_retired_not_deleted(admin_client):
    submit_intake({"keloid_history": True})
    rule = Rule.objects.get(code="KELOID")

    response = admin_client.post(reverse("admin:questionnaire_rule_delete", args=[rule.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Rule.objects.filter(pk=rule.pk).exists()

    draft = _start_change(admin_client, "KELOID")
    data = draft_form(draft=draft, active=False, examples=[])
    assert admin_client.post(reverse("admin:questionnaire_ruledraft_change", args=[draft.pk]), data).status_code == 302
    _publish(admin_client, draft)

    rule.refresh_from_db()
    assert (rule.active, rule.revision) == (False, 2)
    assert submit_intake({"keloid_history": True}).outcome == "eligible"
    assert Flag.objects.filter(rule=rule).count() == 1


def test_even_an_unused_rule_is_not_deleted_in_the_admin(admin_client):
    # Deleting a live rule would change every screening without a draft or a publication (issue 17).
    draft = _create_draft(admin_client)
    _publish(admin_client, draft)
    rule = Rule.objects.get(code="FACE_SCARS")

    response = admin_client.post(reverse("admin:questionnaire_rule_delete", args=[rule.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Rule.objects.filter(code="FACE_SCARS").exists()


def test_a_published_rule_is_read_only_in_the_admin(admin_client):
    rule = Rule.objects.get(code="KELOID")

    response = admin_client.get(reverse("admin:questionnaire_rule_change", args=[rule.pk]))
    admin_client.post(reverse("admin:questionnaire_rule_change", args=[rule.pk]), {"severity": "info", "name": "x"})

    assert response.status_code == 200 and b"Start a change" in response.content
    assert b'name="_save"' not in response.content
    rule.refresh_from_db()
    assert (rule.severity, rule.revision) == ("block", 1)


def test_adding_a_rule_starts_a_draft(admin_client):
    response = admin_client.get(reverse("admin:questionnaire_rule_add"))

    assert response["Location"] == ADD_URL


def test_a_discarded_draft_stays_for_the_record_and_can_no_longer_be_published(admin_client):
    draft = _create_draft(admin_client)

    admin_client.post(reverse("admin:questionnaire_ruledraft_discard", args=[draft.pk]))
    _publish(admin_client, draft)

    draft.refresh_from_db()
    assert draft.status == RuleDraft.Status.DISCARDED
    assert not Rule.objects.filter(code="FACE_SCARS").exists()
    assert admin_client.post(reverse("admin:questionnaire_ruledraft_change", args=[draft.pk]),
                             draft_form(draft=draft)).status_code == 403


# --- the rule list ------------------------------------------------------------------------


def test_the_rule_list_shows_how_many_intakes_each_rule_flagged_in_the_last_30_days(
    admin_client, django_assert_max_num_queries
):
    submit_intake({"keloid_history": True})
    submit_intake({"keloid_history": True, "metal_allergy": True})
    old = submit_intake({"keloid_history": True})
    old.screenings.update(created_at=timezone.now() - timedelta(days=31))

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:questionnaire_rule_changelist"))

    rows = {rule.code: rule for rule in response.context["cl"].result_list}
    assert rows["KELOID"].flagged_recently == 2
    assert rows["METAL_ALLERGY"].flagged_recently == 1
    assert rows["ACTIVE_ACNE"].flagged_recently == 0
    html = response.content.decode()
    for column in ("column-code", "column-name", "column-severity", "column-treatments_shown", "column-active",
                   "column-revision", "column-flagged_recently_shown"):
        assert column in html


def test_a_message_whose_number_contradicts_its_window_is_an_error_in_the_rule_editor(admin_client):
    # Issue 18: a changed window must not leave the messages saying the old one.
    draft = _start_change(admin_client, "ISOTRETINOIN")
    url = reverse("admin:questionnaire_ruledraft_change", args=[draft.pk])
    conditions = [{"question": "isotretinoin_last_taken", "op": "within_days", "value": "365"}]
    examples = [{"answers": '{"isotretinoin_last_taken": "2026-07-16"}', "expected": "deferred",
                 "eligible_from": "2027-07-16"}]

    wrong = admin_client.post(url, draft_form(draft=draft, conditions=conditions, examples=examples,
                                              patient_message="Wait six months after your last dose."))
    assert wrong.status_code == 200
    assert "“six months” contradicts the window of 1 year" in _errors(wrong)

    right = admin_client.post(url, draft_form(draft=draft, conditions=conditions, examples=examples,
                                              patient_message="Wait {window} after your last dose."))
    assert right.status_code == 302, _errors(right)
