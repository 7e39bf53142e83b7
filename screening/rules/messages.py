"""A rule's messages with their placeholders filled, and the check that a message agrees with its window.

Messages may name, in braces, what the rule and the answers know:

- ``{window}``: the rule's window in plain words ("6 months", "2 weeks", "18 years");
- ``{eligible_from}``: the date the rule stops firing ("16 January 2027");
- ``{last_date}``: the date the patient gave ("3 November 2026", or "November 2026" for a month);
- ``{matched}``: the listed medicines or allergens a text answer named.

So a clinic that changes a window changes the text with it. A message that
writes a number of days, weeks, months or years that its window contradicts
("six months" over a 365-day window) is a problem ``validate_rule`` reports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .operators import OPERATORS

__all__ = ["PLACEHOLDERS", "fill_messages", "format_day", "message_problems", "rule_window", "window_words"]

PLACEHOLDERS = ("window", "eligible_from", "last_date", "matched")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18}
_SPAN = re.compile(r"\b([0-9]+|" + "|".join(_NUMBER_WORDS) + r")[ -](day|week|month|year)s?\b", re.IGNORECASE)
_AVERAGE_MONTH = 365.25 / 12


def rule_window(rule: Mapping[str, Any]) -> tuple[int, str, str] | None:
    """(number, unit, question) of the rule's first windowed condition, or None."""
    conditions = rule.get("conditions")
    for condition in conditions if isinstance(conditions, (list, tuple)) else ():
        if not isinstance(condition, Mapping) or not isinstance(condition.get("op"), str):
            continue
        operator = OPERATORS.get(condition["op"])
        value = condition.get("value")
        if operator is not None and operator.has_window and isinstance(value, int) and not isinstance(value, bool):
            return value, operator.unit, str(condition.get("question"))
    return None


def _plural(number: int, unit: str) -> str:
    return f"{number} {unit}" if number != 1 else f"1 {unit[:-1]}"


def window_words(number: int, unit: str = "days") -> str:
    """A window in plain words: 14 -> "2 weeks", 183 -> "6 months", 365 -> "1 year", 5 -> "5 days"."""
    if unit != "days":
        return _plural(number, unit)
    if number and number % 365 == 0:
        return _plural(number // 365, "years")
    months = round(number / _AVERAGE_MONTH)
    if 2 <= months <= 11 and abs(number - months * _AVERAGE_MONTH) < 1:
        return _plural(months, "months")
    if number and number % 7 == 0 and number <= 56:
        return _plural(number // 7, "weeks")
    return _plural(number, "days")


def format_day(day: date) -> str:
    """16 January 2027; a month answer (``screening.rules.answers.MonthAnswer``) as "November 2026"."""
    if getattr(day, "given", None):
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def fill_messages(
    rule: Mapping[str, Any], answers: Mapping[str, Any], evidence: Mapping[str, Any], stops: date | None
) -> tuple[str, str]:
    """The rule's staff and patient messages with their placeholders filled (an unknown value: left as is)."""
    values: dict[str, str] = {}
    window = rule_window(rule)
    if window is not None:
        values["window"] = window_words(window[0], window[1])
    if stops is not None:
        values["eligible_from"] = format_day(stops)
    for code in evidence:
        answer = answers.get(code)
        if isinstance(answer, date):
            values["last_date"] = format_day(answer)
            break
    matched = [str(text) for name, text in evidence.items() if name.endswith("_matched")]
    if matched:
        values["matched"] = "; ".join(matched)

    def fill(text: Any) -> str:
        return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), str(text or ""))

    return fill(rule.get("staff_message")), fill(rule.get("patient_message"))


def _days_range(number: int, unit: str) -> tuple[float, float]:
    unit = unit.lower()
    if unit == "day":
        return number, number
    if unit == "week":
        return number * 7, number * 7
    if unit == "month":
        return number * 28, number * 31 + 1
    return number * 365, number * 366


def message_problems(rule: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each message that names a span its window contradicts, or a placeholder
    the rule cannot fill."""
    problems: list[tuple[str, str]] = []
    window = rule_window(rule)
    for field in ("staff_message", "patient_message"):
        text = str(rule.get(field) or "")
        if window is None and "{window}" in text:
            problems.append((field, "{window} needs a condition with a window (within_days, age_under)."))
        if window is None:
            continue
        number, unit, _question = window
        for found in _SPAN.finditer(text):
            raw, span_unit = found.group(1).lower(), found.group(2).lower()
            count = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
            if unit == "years":
                agrees = span_unit == "year" and count == number
            else:
                low, high = _days_range(count, span_unit)
                agrees = low <= number <= high
            if not agrees:
                problems.append((field, f"“{found.group(0)}” contradicts the window of {window_words(number, unit)}: "
                                        "write {window} to follow it, or correct the number."))
    return problems
