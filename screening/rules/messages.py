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

__all__ = ["PLACEHOLDERS", "fill_messages", "fill_text", "format_day", "message_problems", "placeholder_values",
           "rule_window", "window_words"]

PLACEHOLDERS = ("window", "eligible_from", "last_date", "matched")
_PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# The same words in Spanish, for a patient who reads the questionnaire in Spanish (issue 16).
_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre")
_UNITS_ES = {"days": ("día", "días"), "weeks": ("semana", "semanas"), "months": ("mes", "meses"),
             "years": ("año", "años")}
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


def _plural(number: int, unit: str, language: str = "en") -> str:
    if language == "es" and unit in _UNITS_ES:
        one, many = _UNITS_ES[unit]
        return f"{number} {many if number != 1 else one}"
    return f"{number} {unit}" if number != 1 else f"1 {unit[:-1]}"


def window_words(number: int, unit: str = "days", language: str = "en") -> str:
    """A window in plain words: 14 -> "2 weeks", 183 -> "6 months" ("6 meses" in Spanish), 365 -> "1 year"."""
    if unit != "days":
        return _plural(number, unit, language)
    if number and number % 365 == 0:
        return _plural(number // 365, "years", language)
    months = round(number / _AVERAGE_MONTH)
    if 2 <= months <= 11 and abs(number - months * _AVERAGE_MONTH) < 1:
        return _plural(months, "months", language)
    if number and number % 7 == 0 and number <= 56:
        return _plural(number // 7, "weeks", language)
    return _plural(number, "days", language)


def format_day(day: date, language: str = "en") -> str:
    """16 January 2027 ("16 de enero de 2027"); a month answer (``screening.rules.answers.MonthAnswer``) as
    "November 2026" ("noviembre de 2026")."""
    if language == "es":
        month = _MONTHS_ES[day.month - 1]
        return f"{month} de {day.year}" if getattr(day, "given", None) else f"{day.day} de {month} de {day.year}"
    if getattr(day, "given", None):
        return f"{_MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def placeholder_values(
    rule: Mapping[str, Any], answers: Mapping[str, Any], evidence: Mapping[str, Any], stops: date | None,
    language: str = "en",
) -> dict[str, str]:
    """What the placeholders stand for, in ``language`` ("en" or "es")."""
    values: dict[str, str] = {}
    window = rule_window(rule)
    if window is not None:
        values["window"] = window_words(window[0], window[1], language)
    if stops is not None:
        values["eligible_from"] = format_day(stops, language)
    for code in evidence:
        answer = answers.get(code)
        if isinstance(answer, date):
            values["last_date"] = format_day(answer, language)
            break
    matched = [str(text) for name, text in evidence.items() if name.endswith("_matched")]
    if matched:
        values["matched"] = "; ".join(matched)
    return values


def fill_text(text: Any, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders filled from ``values`` (an unknown value: left as is)."""
    text = str(text or "")
    if "{" not in text:
        return text  # no placeholder to fill
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def fill_messages(
    rule: Mapping[str, Any], answers: Mapping[str, Any], evidence: Mapping[str, Any], stops: date | None
) -> tuple[str, str]:
    """The rule's staff and patient messages with their placeholders filled (an unknown value: left as is)."""
    staff, patient = str(rule.get("staff_message") or ""), str(rule.get("patient_message") or "")
    if "{" not in staff and "{" not in patient:
        return staff, patient  # no placeholder: nothing to work out
    values = placeholder_values(rule, answers, evidence, stops)
    return fill_text(staff, values), fill_text(patient, values)


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
