"""The preview: a draft beside the published rules, on recent intakes, with the right numbers."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.urls import reverse

from screening.core.models import Treatment
from screening.intake.models import Intake
from screening.questionnaire import defaults
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.definitions import engine_spec, with_definition
from screening.questionnaire.models import Rule, RuleDraft
from screening.questionnaire.preview import compare_rule_sets
from screening.questionnaire.services import draft_start
from screening.rules import answers_to_json
from tests.rules_admin.conftest import days_ago, draft_form, submit_intake

DAY = date(2027, 1, 15)


def _item(key, treatment="face", **answers):
    return (key, treatment, answers_to_json(baseline_answers(DAY)) | answers, DAY)


def _rules_with(code: str, **changes) -> list[dict]:
    rule = next(r for r in defaults.RULES if r["code"] == code)
    return with_definition(defaults.RULES, {**rule, **changes})


# --- the pure comparison (no database) -----------------------------------------------------


def test_it_counts_which_outcomes_change_and_from_what_to_what():
    items = [
        _item("clean"),
        _item("metal", metal_allergy=True),
        _item("metal and acne", metal_allergy=True, active_acne=True),
        _item("metal and thinners", metal_allergy=True, blood_thinners=True),
        _item("thinners", blood_thinners=True),
        _item("metal, scalp", "scalp", metal_allergy=True),
    ]

    comparison = compare_rule_sets(items, questions=defaults.QUESTIONS, current=defaults.RULES,
                                   proposed=_rules_with("METAL_ALLERGY", severity="block", treatments=["face"]))

    assert comparison.total == 6
    assert comparison.transitions == Counter({("review", "not_suitable"): 2, ("review", "eligible"): 1})
    assert [change.key for change in comparison.changes] == ["metal", "metal and thinners", "metal, scalp"]
    assert comparison.changes[0].before_rules == comparison.changes[0].after_rules == ("METAL_ALLERGY",)
    assert comparison.changes[1].after_rules == ("BLOOD_THINNERS", "METAL_ALLERGY")
    # Metal and acne was already not suitable: same outcome, but its flags change severity.
    assert comparison.flags_changed == 1
    assert comparison.before_counts == Counter({"eligible": 1, "review": 4, "not_suitable": 1})
    assert comparison.after_counts == Counter({"eligible": 2, "review": 1, "not_suitable": 3})


def test_a_shorter_window_changes_deferrals_and_their_dates():
    items = [
        _item("100 days ago", isotretinoin_last_taken=(DAY - timedelta(days=100)).isoformat()),
        _item("50 days ago", isotretinoin_last_taken=(DAY - timedelta(days=50)).isoformat()),
        _item("never"),
    ]
    isotretinoin = next(r for r in defaults.RULES if r["code"] == "ISOTRETINOIN")
    proposed = _rules_with("ISOTRETINOIN", conditions=[{**isotretinoin["conditions"][0], "value": 90}])

    comparison = compare_rule_sets(items, questions=defaults.QUESTIONS, current=defaults.RULES, proposed=proposed)

    assert comparison.transitions == Counter({("deferred", "eligible"): 1, ("deferred", "deferred"): 1})
    by_key = {change.key: change for change in comparison.changes}
    assert by_key["50 days ago"].before_from == DAY + timedelta(days=133)
    assert by_key["50 days ago"].after_from == DAY + timedelta(days=40)
    assert by_key["100 days ago"].after_from is None


def test_a_new_rule_and_a_retired_rule_are_compared_too():
    new = {"code": "NO_SCALP_THINNERS", "severity": "block", "treatments": ["scalp"], "match": "all",
           "conditions": [{"question": "blood_thinners", "op": "is_true"}], "staff_message": ".",
           "patient_message": ".", "active": True}
    items = [_item("a", "scalp", blood_thinners=True), _item("b", "face", keloid_history=True)]

    added = compare_rule_sets(items, questions=defaults.QUESTIONS, current=defaults.RULES,
                              proposed=with_definition(defaults.RULES, new))
    keloid = next(r for r in defaults.RULES if r["code"] == "KELOID")
    retired = compare_rule_sets(items, questions=defaults.QUESTIONS, current=defaults.RULES,
                                proposed=with_definition(defaults.RULES, {**keloid, "active": False}))

    assert added.transitions == Counter({("review", "not_suitable"): 1})
    assert retired.transitions == Counter({("not_suitable", "eligible"): 1})


def test_no_change_means_no_second_screening_and_nothing_to_report():
    items = [_item(n, metal_allergy=bool(n % 2)) for n in range(10)]

    comparison = compare_rule_sets(items, questions=defaults.QUESTIONS, current=defaults.RULES,
                                   proposed=[dict(r) for r in defaults.RULES])

    assert (comparison.total, comparison.changed, comparison.flags_changed) == (10, 0, 0)


def test_unreadable_stored_answers_fail_closed_in_both_columns():
    items = [("bad", "face", answers_to_json(baseline_answers(DAY)) | {"active_acne": "maybe"}, DAY)]

    comparison = compare_rule_sets(items, questions=defaults.QUESTIONS, current=defaults.RULES,
                                   proposed=_rules_with("ACTIVE_ACNE", severity="review"))

    assert comparison.before_counts == Counter({"incomplete": 1})
    assert comparison.changed == 0


def test_the_proposed_rules_keep_the_published_revision_numbers_of_the_others():
    spec = engine_spec({"code": "X", "conditions": []}, None)
    assert spec["revision"] is None
    assert [r["revision"] for r in _rules_with("KELOID", severity="review") if r["code"] != "KELOID"] == [1] * 33


# --- the admin page, on intakes in the database ---------------------------------------------


@pytest.fixture
def crafted(db) -> dict[str, Intake]:
    """Intakes screened with the published rules, chosen so METAL_ALLERGY as a block for the face moves four."""
    return {
        "clean": submit_intake({}, name="Cleo"),
        "metal": submit_intake({"metal_allergy": True}, name="Mel"),
        "metal_acne": submit_intake({"metal_allergy": True, "active_acne": True}, name="Max"),
        "metal_thinners": submit_intake({"metal_allergy": True, "blood_thinners": True}, name="Tim"),
        "metal_recent_peel": submit_intake({"metal_allergy": True, "peel_or_laser_last_date": days_ago(3)}, name="Pia"),
        "metal_scalp": submit_intake({"metal_allergy": True}, treatment="scalp", name="Sam"),
        # Never submitted: not part of the preview.
        "draft": Intake.objects.create(treatment=Treatment.objects.get(code="face"), answers={"metal_allergy": True}),
    }


def _strict_metal_draft(client, admin_user) -> RuleDraft:
    draft = draft_start(rule=Rule.objects.get(code="METAL_ALLERGY"), by=admin_user)
    data = draft_form(draft=draft, severity="block", treatments=["face"], examples=[
        {"answers": '{"metal_allergy": true}', "expected": "not_suitable"},
        {"answers": '{"metal_allergy": true}', "treatment": "scalp", "expected": "eligible"},
    ])
    response = client.post(reverse("admin:questionnaire_ruledraft_change", args=[draft.pk]), data)
    assert response.status_code == 302
    return draft


def test_the_preview_page_shows_how_many_outcomes_change_from_what_to_what_and_which(
    admin_client, admin_user, crafted
):
    draft = _strict_metal_draft(admin_client, admin_user)

    response = admin_client.get(reverse("admin:questionnaire_ruledraft_preview", args=[draft.pk]))

    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.total == 6  # the submitted ones
    assert comparison.changed == 4
    assert comparison.transitions == Counter({("review", "not_suitable"): 3, ("review", "eligible"): 1})
    by_intake = {row["intake"]: (row["change"].before, row["change"].after) for row in response.context["changes"]}
    assert by_intake == {
        crafted["metal"]: ("review", "not_suitable"),
        crafted["metal_thinners"]: ("review", "not_suitable"),
        crafted["metal_recent_peel"]: ("review", "not_suitable"),
        crafted["metal_scalp"]: ("review", "eligible"),
    }
    assert [r.passed for r in response.context["check"].examples] == [True, True]
    assert response.context["changed"] == ["severity", "treatments", "examples"]
    html = response.content.decode()
    assert "<td>review</td><td>not_suitable</td><td>3</td>" in html
    assert "Mel Example" in html and "Publish" in html
    # A preview changes nothing.
    assert Rule.objects.get(code="METAL_ALLERGY").severity == "review"


def test_the_preview_screens_the_last_n_submitted_intakes(admin_client, admin_user, crafted):
    draft = _strict_metal_draft(admin_client, admin_user)

    response = admin_client.get(reverse("admin:questionnaire_ruledraft_preview", args=[draft.pk]), {"limit": 2})

    # The last two submitted: the scalp one and the recent peel.
    assert response.context["comparison"].total == 2
    changed = [row["intake"] for row in response.context["changes"]]
    assert changed == [crafted["metal_scalp"], crafted["metal_recent_peel"]]


def test_the_preview_needs_no_query_per_intake(admin_client, admin_user, crafted, django_assert_num_queries):
    draft = _strict_metal_draft(admin_client, admin_user)
    url = reverse("admin:questionnaire_ruledraft_preview", args=[draft.pk])
    admin_client.get(url)  # warm caches (content types, session)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for n in range(10):
        submit_intake({"metal_allergy": bool(n % 2)}, name=f"P{n}")
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)

    assert response.context["comparison"].total == 16
    assert len(many.captured_queries) == len(few.captured_queries)
