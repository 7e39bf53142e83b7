"""What a change to the rules would do to intakes: two rule sets, one pass, plain data.

``compare_rule_sets`` takes the intakes as plain tuples (loaded in one query
by ``screening.setup.selectors.preview_items``) and screens each with the current rules and
with the proposed ones. No Django, no query per intake: it is what the
benchmark times (100,000 intakes).

Each intake is screened in full once, with the current rules. Its result
under the proposed rules follows from the engine's contract: a screening is
``outcome_of`` its rules' flags and the answers missing, and each rule's flag
depends on that rule alone. So only the rules that differ are screened again
(``rule_flags``); the others keep the flags they raised, and the outcome is
recomputed from the lot. ``tests/rules_admin/test_preview_shortcut.py``
holds it to screening both sets in full.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from screening.rules import Flag, ScreeningResult, compile_rules, outcome_of, readable_answers, rule_flags, screen

__all__ = ["Change", "Comparison", "PreviewItem", "compare_rule_sets"]

#: (key, treatment code, JSON answers, date screened for)
PreviewItem = tuple[Any, str, Mapping[str, Any], date]


@dataclass(frozen=True)
class Change:
    """One intake whose outcome (or eligible-from date) would change."""

    key: Any
    treatment: str
    on_date: date
    before: str
    after: str
    before_from: date | None
    after_from: date | None
    before_rules: tuple[str, ...]
    after_rules: tuple[str, ...]


@dataclass
class Comparison:
    total: int = 0
    #: (outcome before, outcome after) -> number of intakes whose result changes
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)
    #: same outcome and date, but other flags (what staff read changes)
    flags_changed: int = 0
    before_counts: Counter[str] = field(default_factory=Counter)
    after_counts: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return len(self.changes)

    def transition_rows(self) -> list[tuple[str, str, int]]:
        return sorted(((a, b, n) for (a, b), n in self.transitions.items()), key=lambda row: (-row[2], row[0], row[1]))


def _signature(flags: Iterable[Any]) -> list[tuple[str, str, date | None]]:
    return sorted((flag.rule, flag.severity, flag.eligible_from) for flag in flags)


def _rules_fired(result: ScreeningResult) -> tuple[str, ...]:
    return tuple(flag.rule for flag in result.flags)


def compare_rule_sets(
    items: Iterable[PreviewItem],
    *,
    questions: Sequence[Mapping[str, Any]],
    current: Sequence[Mapping[str, Any]],
    proposed: Sequence[Mapping[str, Any]],
) -> Comparison:
    """Screen every item with both rule sets and count what changes.

    Only the rules that differ between the sets can change a result: each
    intake is screened in full with the current rules, then the differing
    rules alone are screened, and when they fire differently the proposed
    result is the outcome of the current flags with theirs swapped in.
    """
    by_code_current = {rule["code"]: rule for rule in current}
    by_code_proposed = {rule["code"]: rule for rule in proposed}
    differing = {
        code
        for code in by_code_current.keys() | by_code_proposed.keys()
        if by_code_current.get(code) != by_code_proposed.get(code)
    }
    proposed_codes = [rule["code"] for rule in proposed]
    current_rules = compile_rules(current, questions)
    differing_rules = compile_rules([rule for rule in proposed if rule["code"] in differing], questions)
    # A rule's flag is named by its code; with codes missing or repeated the flags cannot be matched to
    # their rules, and the proposed rules are screened in full.
    by_flags = _named_once(current) and _named_once(proposed)
    proposed_rules = compile_rules(proposed, questions)

    comparison = Comparison()
    for key, treatment, raw_answers, on_date in items:
        comparison.total += 1
        # Read once (failing closed, as screen_answers does).
        answers = readable_answers(raw_answers, questions, today=on_date)
        before = screen(answers, rules=current_rules, questions=questions, treatment=treatment, on_date=on_date)
        comparison.before_counts[before.outcome] += 1
        if not differing:
            comparison.after_counts[before.outcome] += 1
            continue
        changed = rule_flags(answers, rules=differing_rules, questions=questions, treatment=treatment,
                             on_date=on_date)
        if _signature(f for f in before.flags if f.rule in differing) == _signature(changed):
            after = before  # the differing rules fire alike: same flags, same outcome
        elif by_flags:
            after = outcome_of(_swapped(before.flags, changed, proposed_codes, differing), before.missing)
        else:
            after = screen(answers, rules=proposed_rules, questions=questions, treatment=treatment, on_date=on_date)
        comparison.after_counts[after.outcome] += 1
        if (before.outcome, before.eligible_from) != (after.outcome, after.eligible_from):
            comparison.transitions[(before.outcome, after.outcome)] += 1
            comparison.changes.append(
                Change(
                    key, treatment, on_date, before.outcome, after.outcome, before.eligible_from,
                    after.eligible_from, _rules_fired(before), _rules_fired(after),
                )
            )
        elif after is not before and _signature(before.flags) != _signature(after.flags):
            comparison.flags_changed += 1
    return comparison


def _named_once(rules: Sequence[Mapping[str, Any]]) -> bool:
    codes = [rule.get("code") for rule in rules]
    return all(isinstance(code, str) and code for code in codes) and len(set(codes)) == len(codes)


def _swapped(current: Sequence[Flag], changed: Sequence[Flag], codes: Sequence[str], differing: set[str]) -> list[Flag]:
    """The proposed rules' flags, in their order: the changed rules' own, the others' as the current rules
    raised them (a rule raises one flag at most, named by its code)."""
    flags = {flag.rule: flag for flag in current if flag.rule not in differing}
    flags.update((flag.rule, flag) for flag in changed)
    return [flags[code] for code in codes if code in flags]
