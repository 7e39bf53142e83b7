"""The what-if at scale (issue 17): screening only the changed rule against each intake's stored flags gives
the full comparison's answer for intakes screened with the current rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from screening.questionnaire.admin_selectors import rule_definition
from screening.questionnaire.definitions import with_definition
from screening.questionnaire.models import Rule
from screening.questionnaire.preview import compare_rule_sets
from screening.questionnaire.selectors import rule_data, with_terms
from screening.questionnaire.what_if import compare_on_stored_flags, differing_codes, questions_read
from screening.setup.selectors import preview_items, stored_preview_items
from tests.rules_admin.conftest import submit_intake

pytestmark = pytest.mark.django_db


def ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


@pytest.fixture
def intakes():
    cases = [
        {}, {"isotretinoin_last_taken": ago(100)}, {"isotretinoin_last_taken": ago(243)},
        {"isotretinoin_last_taken": ago(400)}, {"isotretinoin_last_taken": None},
        {"isotretinoin_last_taken": ago(243), "active_acne": True},
        {"isotretinoin_last_taken": ago(243), "metal_allergy": True},
        {"isotretinoin_last_taken": ago(243)[:7]},  # a month
        {"peel_or_laser_last_date": ago(5)},
    ]
    return [submit_intake(answers, name=f"P{n}") for n, answers in enumerate(cases)]


def change(code: str, value) -> tuple[list, list, list]:
    questions, current = rule_data()
    definition = rule_definition(Rule.objects.get(code=code))
    definition["conditions"] = [{**c, "value": value} if c.get("op") == "within_days" else c
                                for c in definition["conditions"]]
    return questions, current, with_terms(with_definition(current, definition))


@pytest.mark.parametrize("code, value", [("ISOTRETINOIN", 365), ("ISOTRETINOIN", 30), ("PEEL_OR_LASER", 3)])
def test_the_stored_flags_shortcut_agrees_with_the_full_comparison(intakes, code, value):
    questions, current, proposed = change(code, value)
    full = compare_rule_sets(preview_items(100), questions=questions, current=current, proposed=proposed)
    codes = questions_read([r for r in proposed if r["code"] in differing_codes(current, proposed)], questions)
    fast = compare_on_stored_flags(stored_preview_items(codes, 100), questions=questions, current=current,
                                   proposed=proposed)
    assert fast.total == full.total == len(intakes)
    assert fast.changed == full.changed > 0
    shown = lambda c: (c.key, c.before, c.after, c.before_from, c.after_from)  # noqa: E731
    assert sorted(map(shown, fast.changes)) == sorted(map(shown, full.changes))
    assert fast.transitions == full.transitions
    assert fast.after_counts == full.after_counts


def test_only_the_changed_rules_questions_are_read(intakes):
    questions, current, proposed = change("ISOTRETINOIN", 365)
    codes = questions_read([r for r in proposed if r["code"] in differing_codes(current, proposed)], questions)
    assert codes == ["isotretinoin_last_taken"]
    items = stored_preview_items(codes, 100)
    assert all(set(item[2]) <= {"isotretinoin_last_taken"} for item in items)
    assert {item[2].get("isotretinoin_last_taken", "absent") for item in items} >= {None, ago(243)}


def test_no_change_moves_nobody(intakes):
    questions, current = rule_data()
    fast = compare_on_stored_flags(stored_preview_items([], 100), questions=questions, current=current,
                                   proposed=current)
    assert fast.total == len(intakes) and fast.changed == 0
