"""The in-process figures: the rules engine alone, and the rules admin's what-if preview."""

from __future__ import annotations

import time
from datetime import date, timedelta

from screening.questionnaire import defaults
from screening.rules import compile_rules, screen

ENGINE_TARGET = 20_000  # screenings per second on one core


def engine_rates(rounds: int = 20_000) -> dict[str, float]:
    """Screenings per second of the pure engine on one core, default rules, best of three.

    The rules are compiled once, as the app screens with them (the live questionnaire of each
    process holds them compiled; the what-if preview and re-screens compile once for all).
    """
    day = date(2027, 1, 15)
    rules = compile_rules(defaults.RULES, defaults.QUESTIONS)
    cases = {
        "clean (eligible)": defaults.baseline_answers(day),
        "two flags (review + defer)": {**defaults.baseline_answers(day), "metal_allergy": True,
                                       "retinoid_last_used": day - timedelta(days=2)},
    }
    rates = {}
    for name, answers in cases.items():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(rounds):
                screen(answers, rules=rules, questions=defaults.QUESTIONS, treatment="face", on_date=day)
            best = min(best, time.perf_counter() - start)
        rates[name] = rounds / best
    return rates


def what_if(limits: tuple[int, ...] = (500, 100_000)) -> list[dict]:
    """The full comparison of two rule sets (every intake screened with both) over the last N intakes.

    No page runs it over 100,000 intakes since issue 17 (the rule editor's and the admin's preview screen
    only the changed rule against the stored flags: ``what_if_stored``); a rule file's import and the
    bookings' what-if use it over fewer.

    (screening.questionnaire.preview over screening.setup.selectors.preview_items.)

    The change: the peel/laser window shortened to 3 days, which changes some
    deferred outcomes. Timed in two parts: loading the intakes (one query)
    and comparing the two rule sets.
    """
    try:
        from screening.questionnaire.admin_selectors import rule_definition
        from screening.questionnaire.definitions import with_definition
        from screening.questionnaire.preview import compare_rule_sets
        from screening.setup.selectors import preview_items
    except ImportError as error:  # the rules admin is another engineer's work in progress
        return [{"limit": n, "error": f"no what-if preview to measure ({error})"} for n in limits]
    from screening.questionnaire.models import Rule
    from screening.questionnaire.selectors import rule_data

    questions, current = rule_data()
    rule = Rule.objects.get(code="PEEL_OR_LASER")
    definition = rule_definition(rule)
    definition["conditions"] = [
        {**c, "value": 3} if c.get("op") == "within_days" else c for c in definition["conditions"]
    ]
    proposed = with_definition(current, definition)
    results = []
    for limit in limits:
        started = time.perf_counter()
        items = preview_items(limit)
        loaded = time.perf_counter()
        comparison = compare_rule_sets(items, questions=questions, current=current, proposed=proposed)
        done = time.perf_counter()
        results.append({
            "limit": limit, "intakes": comparison.total, "changed": comparison.changed,
            "load_s": loaded - started, "compare_s": done - loaded, "total_s": done - started,
        })
    return results


WHAT_IF_STORED_TARGET_SECONDS = 3.0  # over 100,000 intakes (issue 17)


def what_if_stored(limits: tuple[int, ...] = (500, 100_000)) -> list[dict]:
    """The staff rule editor's what-if (issue 17): the same change as ``what_if``, screened against each
    intake's stored flags (screening.questionnaire.what_if over setup.selectors.stored_preview_items):
    only the changed rule, only the answers it reads."""
    try:
        from screening.questionnaire.what_if import compare_on_stored_flags, differing_codes, questions_read
        from screening.setup.selectors import stored_preview_items
    except ImportError as error:
        return [{"limit": n, "error": f"no stored-flags what-if to measure ({error})"} for n in limits]
    from screening.questionnaire.admin_selectors import rule_definition
    from screening.questionnaire.definitions import with_definition
    from screening.questionnaire.models import Rule
    from screening.questionnaire.selectors import rule_data

    questions, current = rule_data()
    definition = rule_definition(Rule.objects.get(code="PEEL_OR_LASER"))
    definition["conditions"] = [
        {**c, "value": 3} if c.get("op") == "within_days" else c for c in definition["conditions"]
    ]
    proposed = with_definition(current, definition)
    results = []
    for limit in limits:
        started = time.perf_counter()
        changed = [r for r in proposed if r["code"] in differing_codes(current, proposed)]
        items = stored_preview_items(questions_read(changed, questions), limit)
        loaded = time.perf_counter()
        comparison = compare_on_stored_flags(items, questions=questions, current=current, proposed=proposed)
        done = time.perf_counter()
        results.append({
            "limit": limit, "intakes": comparison.total, "changed": comparison.changed,
            "load_s": loaded - started, "compare_s": done - loaded, "total_s": done - started,
        })
    return results
