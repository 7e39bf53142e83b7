"""The what-if preview screens only the changed rules again: it must count exactly what screening both sets in full
counts, for every kind of change, over many answer sets.

``full_comparison`` below is the preview written the plain way (each intake
screened with the current rules and with the proposed rules); the preview's
Comparison must equal it field by field, the list of changes included.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from screening.questionnaire import defaults
from screening.questionnaire.definitions import with_definition
from screening.questionnaire.preview import Change, Comparison, _rules_fired, _signature, compare_rule_sets
from screening.rules import answers_to_json, readable_answers, screen

DAY = date(2027, 1, 15)
RULES = {rule["code"]: rule for rule in defaults.RULES}


def full_comparison(items, *, questions, current, proposed) -> Comparison:
    comparison = Comparison()
    for key, treatment, raw_answers, on_date in items:
        comparison.total += 1
        answers = readable_answers(raw_answers, questions, today=on_date)
        before = screen(answers, rules=current, questions=questions, treatment=treatment, on_date=on_date)
        after = screen(answers, rules=proposed, questions=questions, treatment=treatment, on_date=on_date)
        comparison.before_counts[before.outcome] += 1
        comparison.after_counts[after.outcome] += 1
        if (before.outcome, before.eligible_from) != (after.outcome, after.eligible_from):
            comparison.transitions[(before.outcome, after.outcome)] += 1
            comparison.changes.append(Change(key, treatment, on_date, before.outcome, after.outcome,
                                             before.eligible_from, after.eligible_from, _rules_fired(before),
                                             _rules_fired(after)))
        elif _signature(before.flags) != _signature(after.flags):
            comparison.flags_changed += 1
    return comparison


def _items(count: int, seed: int) -> list:
    """Answer sets that raise every rule now and then, several at once, some unreadable or missing."""
    rng = random.Random(seed)
    yes_no = [q["code"] for q in defaults.QUESTIONS if q["type"] == "yes_no" and not q.get("must_be_true")]
    dates = [q["code"] for q in defaults.QUESTIONS if q["type"] == "date" and q.get("past_only")]
    items = []
    for n in range(count):
        day = DAY + timedelta(days=rng.randint(-30, 30))
        answers = answers_to_json(defaults.baseline_answers(day))
        for code in rng.sample(yes_no, rng.randint(0, 3)):
            answers[code] = True
        for code in rng.sample(dates, rng.randint(0, 2)):
            answers[code] = (day - timedelta(days=rng.choice([1, 2, 5, 20, 60, 100, 200, 400]))).isoformat()
        if rng.random() < 0.05:
            answers.pop(rng.choice(list(answers)))
        if rng.random() < 0.03:
            answers[rng.choice(yes_no)] = "maybe"
        items.append((n, rng.choice(["face", "scalp", "body"]), answers, day))
    return items


def _changed(code: str, **changes) -> list[dict]:
    return with_definition(defaults.RULES, {**RULES[code], **changes})


def _window(code: str, days: int) -> list[dict]:
    rule = RULES[code]
    return _changed(code, conditions=[{**c, "value": days} if c["op"] == "within_days" else c
                                      for c in rule["conditions"]])


NEW_RULE = {"code": "NO_SCALP_THINNERS", "name": "No thinners (scalp)", "severity": "block", "treatments": ["scalp"],
            "match": "all", "conditions": [{"question": "blood_thinners", "op": "is_true"}], "staff_message": ".",
            "patient_message": ".", "active": True}
PROPOSALS = {
    "shorter window": _window("PEEL_OR_LASER", 3),
    "longer window": _window("RETINOID", 60),
    "review becomes block": _changed("METAL_ALLERGY", severity="block"),
    "block becomes review": _changed("ACTIVE_ACNE", severity="review"),
    "block becomes defer without a window": _changed("ACTIVE_ACNE", severity="defer"),
    "one treatment only": _changed("KELOID", treatments=["body"]),
    "any instead of all": _changed("BLOOD_THINNERS", match="any"),
    "a broken condition": _changed("PREGNANCY", conditions=[{"question": "pregnant_or_breastfeeding", "op": "nope"}]),
    "retired": with_definition(defaults.RULES, {**RULES["KELOID"], "active": False}),
    "added": with_definition(defaults.RULES, NEW_RULE),
    "several at once": with_definition(_window("PEEL_OR_LASER", 3), NEW_RULE),
    "nothing": [dict(rule) for rule in defaults.RULES],
    "reordered": list(reversed(_changed("METAL_ALLERGY", severity="block"))),
}


@pytest.mark.parametrize("name", PROPOSALS)
def test_the_preview_counts_what_screening_both_sets_in_full_counts(name):
    items = _items(400, seed=len(name))
    kwargs = {"questions": defaults.QUESTIONS, "current": defaults.RULES, "proposed": PROPOSALS[name]}

    assert compare_rule_sets(items, **kwargs) == full_comparison(items, **kwargs)


def test_the_items_change_outcomes_so_the_comparison_is_not_empty():
    items = _items(400, seed=1)
    kwargs = {"questions": defaults.QUESTIONS, "current": defaults.RULES}
    changed = {name: compare_rule_sets(items, proposed=PROPOSALS[name], **kwargs).changed for name in PROPOSALS}
    assert all(changed[name] > 0 for name in ("shorter window", "review becomes block", "block becomes review",
                                              "a broken condition", "added", "several at once")), changed


def test_rules_without_one_code_each_are_screened_in_full():
    twice = [*defaults.RULES, {**RULES["KELOID"], "severity": "review"}]
    items = _items(200, seed=3)
    kwargs = {"questions": defaults.QUESTIONS, "current": defaults.RULES, "proposed": twice}

    assert compare_rule_sets(items, **kwargs) == full_comparison(items, **kwargs)
