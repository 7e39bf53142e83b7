"""The operators of rule conditions: one registry that the engine, validation and the admin read.

Each operator is one ``Operator``: its code (what a condition's ``op`` says),
the words the admin reads, the question types it fits, what its ``value``
must be, and the function that tests an answer. The engine evaluates with
it, ``validate_rule`` checks with it, and the rules admin builds its operator
list (and the hints its page shows) from it: a new operator is added here,
once. See docs/engine-contract.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any, Final

from .default_terms import DEFAULT_TERMS
from .vocabulary import TermIndex, describe_matches, find_terms, says_nothing

__all__ = ["NOT_SURE", "OPERATORS", "Operator", "RuleError", "VALUE_KINDS", "add_years"]


class RuleError(Exception):
    """A rule that cannot be evaluated: unknown operator or question, bad value, unreadable answer."""


#: (fires, the date it stops firing or None), or with a third part: more evidence (``{name: text}``)
#: that the flag carries beside the answer (the words a text condition matched).
ConditionResult = tuple[bool, "date | None"] | tuple[bool, "date | None", dict[str, str]]
#: (answer, the condition's value, question code, on_date) -> ConditionResult. The answer is never
#: absent here; it may be None only for date questions ("never").
OperatorTest = Callable[[Any, Any, str, date], ConditionResult]

#: What a condition's ``value`` must be, and the hint the admin's value box shows for it.
#: none: no value; scalar: one answer-typed value; list: a non-empty list of answer-typed values;
#: window: a whole number >= 0 (of the operator's ``unit``); number: an int or float;
#: terms: none stored (the clinic's medicine list is filled in when the rules are read, see
#: ``screening.rules.vocabulary``); without one, ``DEFAULT_TERMS``.
VALUE_KINDS: Final[Mapping[str, str]] = MappingProxyType({
    "none": "(no value)",
    "terms": "(no value: reads the medicine list)",
    "scalar": "a value",
    "list": "codes, comma separated",
    "window": "number of days / years",
    "number": "a number",
})


@dataclass(frozen=True)
class Operator:
    code: str
    #: The admin's words; an ``N`` stands for the value ("within N days before the appointment").
    label: str
    #: The question types it fits. ``number`` is not a question type yet: the comparisons wait for it.
    fits: frozenset[str]
    #: What its value must be: a key of ``VALUE_KINDS``.
    value: str
    test: OperatorTest
    #: For a window: what its number counts ("days", "years").
    unit: str = ""

    @property
    def has_window(self) -> bool:
        """True when it carries the date on which it stops firing (a defer rule needs one)."""
        return self.value == "window"

    @property
    def hint(self) -> str:
        """What the admin types as its value."""
        return f"number of {self.unit}" if self.unit else VALUE_KINDS[self.value]

    def phrase(self, value: Any) -> str:
        """The label with its value in words: ``within 183 days before the appointment``."""
        if "N " in self.label and value is not None:
            return self.label.replace("N ", f"{value} ")
        return self.label


# --- reading answers and values ---------------------------------------------------------------


#: The answer of a yes/no question that allows it (``"not_sure": true`` in its spec): neither yes nor no.
NOT_SURE: Final = "not_sure"


def _bool_answer(answer: Any, code: str) -> bool | None:
    """True, False, or None for "not sure"."""
    if answer == NOT_SURE:
        return None
    if not isinstance(answer, bool):
        raise RuleError(f"answer to {code} is not true/false: {answer!r}")
    return answer


def _date_answer(answer: Any, code: str) -> date:
    if isinstance(answer, datetime):
        return answer.date()
    if not isinstance(answer, date):
        raise RuleError(f"answer to {code} is not a date: {answer!r}")
    # A plain date: arithmetic on a subclass (a month answer) would give the subclass back.
    return date(answer.year, answer.month, answer.day)


def _str_answer(answer: Any, code: str) -> str:
    if not isinstance(answer, str):
        raise RuleError(f"answer to {code} is not text: {answer!r}")
    return answer


def _window(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuleError(f"window must be a whole number of days/years >= 0, not {value!r}")
    return value


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RuleError(f"{what} is not a number: {value!r}")
    return value


def _list_value(value: Any) -> list[Any] | tuple[Any, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise RuleError(f"value must be a non-empty list, not {value!r}")
    return value


def _same_kind(answer: Any, value: Any, code: str) -> None:
    # bool is an int: compare kinds strictly so True never equals 1 or "true".
    if isinstance(answer, bool):
        if not isinstance(value, bool):
            raise RuleError(f"value {value!r} cannot be compared with the true/false answer to {code}")
    elif isinstance(answer, str):
        if not isinstance(value, str):
            raise RuleError(f"value {value!r} cannot be compared with the text answer to {code}")
    else:
        raise RuleError(f"answer to {code} is neither true/false nor text: {answer!r}")


def add_years(day: date, years: int) -> date:
    """``day`` moved ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


# --- the tests ----------------------------------------------------------------------------------


def _is_true(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return _bool_answer(answer, code) is True, None


def _is_false(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return _bool_answer(answer, code) is False, None


def _is_not_sure(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return _bool_answer(answer, code) is None, None


def _has_date(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    if answer is None:  # "never"
        return False, None
    _date_answer(answer, code)
    return True, None


def _terms(value: Any) -> TermIndex:
    """The medicine list, prepared (compiled rules hold it prepared: ``prepare_terms``)."""
    if isinstance(value, TermIndex):
        return value
    return TermIndex(_term_list(value))


def _term_list(value: Any) -> Sequence[Mapping[str, Any]]:
    if value is None:
        return DEFAULT_TERMS
    if not isinstance(value, (list, tuple)) or not all(isinstance(term, Mapping) for term in value):
        raise RuleError(f"the medicine list must be a list of terms, not {value!r}")
    return value


def prepare_terms(value: Any) -> Any:
    """A condition's medicine list made ready once (a ``TermIndex``); a malformed one is kept as it is,
    to be refused when the condition is evaluated."""
    try:
        return TermIndex(_term_list(value))
    except RuleError:
        return value


def _names_listed(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    matches = find_terms(_str_answer(answer, code), _terms(value))
    if not matches:
        return False, None
    return True, None, {f"{code}_matched": describe_matches(matches)}


def _names_nothing_listed(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    text = _str_answer(answer, code)
    return not says_nothing(text) and not find_terms(text, _terms(value)), None


def _says_something(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return not says_nothing(_str_answer(answer, code)), None


def _equals(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    _same_kind(answer, value, code)
    return answer == value, None


def _not_equals(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    _same_kind(answer, value, code)
    return answer != value, None


def _in(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    return _str_answer(answer, code) in _list_value(value), None


def _contains_any(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    if not isinstance(answer, (list, tuple)) or not all(isinstance(item, str) for item in answer):
        raise RuleError(f"answer to {code} is not a list of choices: {answer!r}")
    wanted = _list_value(value)
    return any(item in wanted for item in answer), None


def _within_days(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    days = _window(value)
    if answer is None:  # "never"
        return False, None
    stops = _date_answer(answer, code) + timedelta(days=days)
    return on_date < stops, stops


def _age_under(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
    years = _window(value)
    if answer is None:
        # An unknown birth date cannot prove the patient old enough.
        raise RuleError(f"no date given for {code}, so the age cannot be checked")
    birthday = add_years(_date_answer(answer, code), years)
    return on_date < birthday, birthday


def _comparison(compare: Callable[[float, float], bool]) -> OperatorTest:
    def test(answer: Any, value: Any, code: str, on_date: date) -> ConditionResult:
        return compare(_number(answer, f"answer to {code}"), _number(value, "value")), None

    return test


_YES_NO, _DATE, _CHOICE, _MULTI, _TEXT, _NUMBER = "yes_no", "date", "choice", "multi", "text", "number"

#: Every operator, by code, in the order the admin lists them.
OPERATORS: Final[Mapping[str, Operator]] = MappingProxyType({op.code: op for op in (
    Operator("is_true", "is yes", frozenset({_YES_NO}), "none", _is_true),
    Operator("is_false", "is no", frozenset({_YES_NO}), "none", _is_false),
    Operator("is_not_sure", "is not sure", frozenset({_YES_NO}), "none", _is_not_sure),
    Operator("equals", "equals", frozenset({_YES_NO, _CHOICE, _TEXT}), "scalar", _equals),
    Operator("not_equals", "does not equal", frozenset({_YES_NO, _CHOICE, _TEXT}), "scalar", _not_equals),
    Operator("in", "is one of", frozenset({_CHOICE}), "list", _in),
    Operator("contains_any", "includes any of", frozenset({_MULTI}), "list", _contains_any),
    Operator("within_days", "within N days before the appointment", frozenset({_DATE}), "window", _within_days,
             unit="days"),
    Operator("has_date", "has a date, however long ago (not never)", frozenset({_DATE}), "none", _has_date),
    Operator("names_listed", "names a medicine or allergen of the clinic's list", frozenset({_TEXT}), "terms",
             _names_listed),
    Operator("names_nothing_listed", "says something that names nothing on the clinic's list", frozenset({_TEXT}),
             "terms",
             _names_nothing_listed),
    Operator("says_something", "says something (not blank, not \u201cno\u201d or \u201cnothing\u201d)",
             frozenset({_TEXT}),
             "none", _says_something),
    Operator("age_under", "age under N years on the appointment date", frozenset({_DATE}), "window", _age_under,
             unit="years"),
    Operator("gt", "more than", frozenset({_NUMBER}), "number", _comparison(lambda a, b: a > b)),
    Operator("gte", "at least", frozenset({_NUMBER}), "number", _comparison(lambda a, b: a >= b)),
    Operator("lt", "less than", frozenset({_NUMBER}), "number", _comparison(lambda a, b: a < b)),
    Operator("lte", "at most", frozenset({_NUMBER}), "number", _comparison(lambda a, b: a <= b)),
)})
