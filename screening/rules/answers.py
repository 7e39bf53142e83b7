"""Turning JSON answers into typed Python values, and back.

The questionnaire stores answers as JSON; the engine works on typed values
(``bool``, ``datetime.date``, ``str``, ``list[str]``). Two gates, one reading:
``parse_answers`` refuses the first answer it cannot read with a message
naming the question (the ``screen`` command, an admin's example answers);
``readable_answers`` drops every answer it cannot read, so that it counts as
missing (fail closed: what screening stored answers goes through, by way of
``screening.rules.screen_answers``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from .operators import NOT_SURE

__all__ = [
    "AnswerError",
    "DuplicateKeyError",
    "MonthAnswer",
    "answers_to_json",
    "json_value",
    "loads_strict",
    "parse_answers",
    "readable_answers",
]

# [0-9], not \d: \d would accept non-ASCII digits that fromisoformat rejects.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
#: The earliest year a date answer may have (the intake form refuses earlier ones too).
FIRST_YEAR = 1900


class MonthAnswer(date):
    """A "last time" answer given as a month and year (``"2026-11"``).

    It screens as the last day of that month, or today when that is sooner
    (the latest day it can have been: the conservative reading). ``given``
    is the month as written, which is what goes back to JSON.
    """

    given: str | None = None

    @classmethod
    def of(cls, year: int, month: int, today: date) -> MonthAnswer:
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        day = min(last, today) if first <= today else last
        answer = cls(day.year, day.month, day.day)
        answer.given = f"{year:04d}-{month:02d}"
        return answer


class DuplicateKeyError(ValueError):
    """A JSON object that names the same key twice: which answer was meant cannot be known."""


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(f"{key!r} appears twice in one object")
        result[key] = value
    return result


def loads_strict(text: str | bytes) -> Any:
    """``json.loads`` that refuses an object naming a key twice (``DuplicateKeyError``)."""
    return json.loads(text, object_pairs_hook=_refuse_duplicates)


class AnswerError(ValueError):
    """An answer that cannot be read. ``str()`` is one line naming the question."""

    def __init__(self, question: str, message: str) -> None:
        self.question = question
        # One line, always: the screen command prints it as its only stderr line.
        self.message = " ".join(str(message).split())
        super().__init__(f"{question}: {self.message}")


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _short(value: str, limit: int = 40) -> str:
    text = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(text)


def _parse_yes_no(code: str, value: Any, question: Mapping[str, Any], today: date) -> bool | str:
    if value == NOT_SURE and question.get("not_sure"):
        return NOT_SURE
    if not isinstance(value, bool):
        also = ' or "not_sure"' if question.get("not_sure") else ""
        raise AnswerError(code, f"expected true or false{also}, got {_json_type(value)}")
    return value


def _parse_month(code: str, value: str, question: Mapping[str, Any], today: date) -> MonthAnswer:
    found = _ISO_MONTH.fullmatch(value)
    year, month = int(found.group(1)), int(found.group(2))  # type: ignore[union-attr]
    if not 1 <= month <= 12:
        raise AnswerError(code, f"{value!r} is not a real month")
    if year < FIRST_YEAR:
        raise AnswerError(code, f"the year {year} is before {FIRST_YEAR}: please check it")
    if question.get("past_only") and date(year, month, 1) > today:
        raise AnswerError(code, f"{value} is in the future")
    return MonthAnswer.of(year, month, today)


def _parse_date(code: str, value: Any, question: Mapping[str, Any], today: date) -> date:
    month_ok = bool(question.get("month_ok"))
    expected = "YYYY-MM-DD or YYYY-MM" if month_ok else "YYYY-MM-DD"
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, str):
        if month_ok and _ISO_MONTH.fullmatch(value):
            return _parse_month(code, value, question, today)
        if not _ISO_DATE.fullmatch(value):
            raise AnswerError(code, f"expected a date as {expected}, got {_short(value)}")
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise AnswerError(code, f"{value!r} is not a real date") from None
    else:
        raise AnswerError(code, f"expected a date as {expected} or null, got {_json_type(value)}")
    if parsed.year < FIRST_YEAR:
        raise AnswerError(code, f"the year {parsed.year} is before {FIRST_YEAR}: please check it")
    if question.get("past_only") and parsed > today:
        raise AnswerError(code, f"{parsed.isoformat()} is in the future")
    return parsed


def _parse_choice(code: str, value: Any, question: Mapping[str, Any], today: date) -> str:
    if not isinstance(value, str):
        raise AnswerError(code, f"expected one choice code as text, got {_json_type(value)}")
    choices = question.get("choices")
    if choices is not None and value not in choices:
        raise AnswerError(code, f"unknown choice {_short(value)} (expected one of {', '.join(choices)})")
    return value


def _parse_multi(code: str, value: Any, question: Mapping[str, Any], today: date) -> list[str]:
    if not isinstance(value, (list, tuple)):
        raise AnswerError(code, f"expected a list of choice codes, got {_json_type(value)}")
    choices = question.get("choices")
    result: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise AnswerError(code, f"expected choice codes as text, got {_json_type(item)} in the list")
        if choices is not None and item not in choices:
            raise AnswerError(code, f"unknown choice {_short(item)} (expected some of {', '.join(choices)})")
        if item not in result:  # a repeated tick means the same thing once
            result.append(item)
    return result


def _parse_text(code: str, value: Any, question: Mapping[str, Any], today: date) -> str:
    if not isinstance(value, str):
        raise AnswerError(code, f"expected text, got {_json_type(value)}")
    max_length = question.get("max_length")
    if max_length is not None and len(value) > max_length:
        raise AnswerError(code, f"is {len(value)} characters long; the limit is {max_length}")
    return value


_PARSERS = {
    "yes_no": _parse_yes_no,
    "date": _parse_date,
    "choice": _parse_choice,
    "multi": _parse_multi,
    "text": _parse_text,
}


def _parse(code: str, value: Any, question: Mapping[str, Any] | None, today: date) -> Any:
    """One typed answer, or ``AnswerError``."""
    if question is None:
        raise AnswerError(str(code), "unknown question")
    if value is None:
        return None
    parser = _PARSERS.get(question.get("type"))  # type: ignore[arg-type]
    if parser is None:
        raise AnswerError(code, f"question has an unknown type {question.get('type')!r}")
    return parser(code, value, question, today)


def parse_answers(
    raw: Mapping[str, Any], questions: Sequence[Mapping[str, Any]], *, today: date
) -> dict[str, Any]:
    """Typed answers from JSON answers, or ``AnswerError`` naming the first bad one.

    ``null`` passes through as ``None``: for a date question it means "never";
    for the other types it means "not answered yet", which the engine treats
    as missing. Absent keys stay absent. ``today`` is the date a "last time"
    (``past_only``) answer may not be after.
    """
    if not isinstance(raw, Mapping):
        raise TypeError(f"answers must be a mapping of question codes, not {type(raw).__name__}")
    if isinstance(today, datetime):
        today = today.date()
    by_code = {q["code"]: q for q in questions}
    typed = {code: _parse(code, value, by_code.get(code), today) for code, value in raw.items()}
    _check_signature(typed, questions)
    return typed


def _normalised_name(value: str) -> str:
    return " ".join(value.split()).casefold()


def _check_signature(typed: Mapping[str, Any], questions: Sequence[Mapping[str, Any]]) -> None:
    """A signature must be the names given (as the intake form checks it); nothing to match, nothing checked."""
    kinds = {q.get("kind"): q["code"] for q in questions if q.get("kind") not in (None, "none")}
    signature = typed.get(kinds.get("signature", ""))
    names = [typed[kinds[kind]] for kind in ("first_name", "last_name")
             if isinstance(typed.get(kinds.get(kind, "")), str) and typed[kinds[kind]].strip()]
    if not isinstance(signature, str) or not signature.strip() or not names:
        return
    if _normalised_name(signature) != _normalised_name(" ".join(names)):
        raise AnswerError(kinds["signature"], f"does not match the name given ({' '.join(names)})")


def readable_answers(
    raw: Mapping[str, Any], questions: Sequence[Mapping[str, Any]], *, today: date
) -> dict[str, Any]:
    """The typed answers of ``raw`` that can be read; any other is left out, so it counts as missing.

    Left out: an answer of the wrong type, an unknown choice, a "last time"
    date after ``today``, an answer to a question no longer asked. A required
    question left out makes the screening ``incomplete``: never ``eligible``.
    """
    if not isinstance(raw, Mapping):
        return {}
    if isinstance(today, datetime):
        today = today.date()
    by_code = {q["code"]: q for q in questions}
    typed: dict[str, Any] = {}
    for code, value in raw.items():
        try:
            typed[code] = _parse(code, value, by_code.get(code), today)
        except AnswerError:
            continue
    return typed


def json_value(value: Any) -> Any:
    """A typed answer as JSON-ready data (dates as ISO strings, never raises)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, MonthAnswer) and value.given:
        return value.given
    if isinstance(value, date):  # datetime included: it is a date too
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_value(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    return repr(value)


def answers_to_json(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of ``parse_answers``: typed answers as a JSON-ready dict."""
    return {code: json_value(value) for code, value in answers.items()}
