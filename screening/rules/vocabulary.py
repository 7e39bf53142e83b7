"""Reading free text for listed medicines and allergens: whole words, any case, common misspellings.

A *term* is plain data: ``{"term": "warfarin", "class": "anticoagulant",
"aliases": ["coumadin", "warfrin"], "source": "..."}``. ``DEFAULT_TERMS``
(``default_terms.py``) is the list a new clinic starts with; the clinic's own
list (its additions included) is what the callers pass, as the value of the
``names_listed`` and ``names_nothing_listed`` conditions.

How a word matches, in order:

1. the term or one of its aliases, word for word (a term may be several words:
   "oral steroids"), ignoring case;
2. a misspelling: a single word of at least ``FUZZY_MIN_LENGTH`` letters that
   is close to a one-word term or alias (``difflib`` ratio of at least
   ``FUZZY_RATIO``, about one letter wrong, missing or extra in seven). Short
   words never match loosely: "gold" is not "good", "nickel" is not "nicked".

A word written as free of something ("aspirin-free", "non-aspirin") names its
absence, so it does not match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

__all__ = ["FUZZY_MIN_LENGTH", "FUZZY_RATIO", "Match", "TermIndex", "describe_matches", "find_terms", "says_nothing"]

FUZZY_MIN_LENGTH = 6
FUZZY_RATIO = 0.85

# Words are letters (any alphabet); digits and punctuation separate them.
_WORD = re.compile(r"[^\W\d_]+")
_NEGATING_SUFFIX = re.compile(r"\s*-\s*free\b")
_NEGATING_PREFIX = re.compile(r"\bnon\s*-\s*$")


@dataclass(frozen=True)
class Match:
    """A listed term found in a text: the words as written, the term they name, its class."""

    words: str
    term: str
    term_class: str
    misspelt: bool = False

    def describe(self) -> str:
        shown = f"{self.words!r} (read as {self.term})" if self.words.casefold() != self.term.casefold() else self.words
        return f"{shown}: {self.term_class.replace('_', ' ')}"


def _words(text: str) -> list[tuple[str, int, int]]:
    """(word casefolded, start, end) of each word, minus those written as "...-free" or "non-..."."""
    words = []
    for found in _WORD.finditer(text):
        start, end = found.span()
        if _NEGATING_SUFFIX.match(text, end) or _NEGATING_PREFIX.search(text[:start]):
            continue
        words.append((found.group().casefold(), start, end))
    return words


def _names(term: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The term and its aliases, each as a tuple of words."""
    names = [term.get("term", "")] + list(term.get("aliases") or [])
    return [tuple(w.casefold() for w in _WORD.findall(str(name))) for name in names if str(name).strip()]


def _close(word: str, name: str, matcher: SequenceMatcher | None = None) -> bool:
    """About one letter wrong in seven. The cheap upper bounds first, as ``difflib.get_close_matches`` does."""
    if len(word) < FUZZY_MIN_LENGTH or len(name) < FUZZY_MIN_LENGTH:
        return False
    if 2 * min(len(word), len(name)) / (len(word) + len(name)) < FUZZY_RATIO:
        return False
    if matcher is None:
        matcher = SequenceMatcher(None, "", word)
    matcher.set_seq1(name)
    return matcher.quick_ratio() >= FUZZY_RATIO and matcher.ratio() >= FUZZY_RATIO


class TermIndex:
    """A term list prepared for reading many texts: each name filed under its first word, and the one-word
    names long enough to be matched loosely. Built once per rule set (``screening.rules.compiled``)."""

    def __init__(self, terms: Iterable[Mapping[str, Any]]) -> None:
        self.terms = [term for term in terms if isinstance(term, Mapping)]
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self.loose: list[tuple[str, int]] = []
        for number, term in enumerate(self.terms):
            for name in _names(term):
                if not name:
                    continue
                self.by_first.setdefault(name[0], []).append((name, number))
                if len(name) == 1 and len(name[0]) >= FUZZY_MIN_LENGTH:
                    self.loose.append((name[0], number))


def find_terms(text: str, terms: Iterable[Mapping[str, Any]] | TermIndex) -> list[Match]:
    """The listed terms named in ``text``, in the order they appear (each term once)."""
    if not isinstance(text, str) or not text.strip():
        return []
    index = terms if isinstance(terms, TermIndex) else TermIndex(terms)
    words = _words(text)
    found: dict[int, tuple[int, Match]] = {}

    def record(number: int, start: int, written: str, misspelt: bool) -> None:
        term = index.terms[number]
        found[number] = (start, Match(written, str(term.get("term")), str(term.get("class", "")), misspelt))

    for position, (word, start, _end) in enumerate(words):
        exact = set()
        for name, number in index.by_first.get(word, ()):
            following = words[position:position + len(name)]
            if len(following) == len(name) and all(w == n for (w, _s, _e), n in zip(following, name, strict=True)):
                exact.add(number)
                if number not in found:
                    record(number, start, text[following[0][1]:following[-1][2]], False)
        if len(word) < FUZZY_MIN_LENGTH:
            continue
        matcher = SequenceMatcher(None, "", word)  # the word is the second sequence: indexed once
        for name, number in index.loose:
            if number in found or number in exact or not _close(word, name, matcher):
                continue
            record(number, start, text[start:words[position][2]], True)
    return [match for _start, match in sorted(found.values(), key=lambda item: item[0])]


#: What patients write to say there is nothing to tell (compared without case and punctuation).
_NOTHING = frozenset({"none", "no", "nil", "nothing", "na", "n a", "not applicable", "none known", "no allergies",
                      "no known allergies", "nka", "nkda", "no medicines", "no medication", "no medications",
                      "no change", "no changes", "nothing changed", "nothing has changed", "no nothing changed",
                      "no nothing has changed", "nothing new"})


def says_nothing(text: str) -> bool:
    """True for a blank text or one that only says there is nothing ("None", "n/a", "No known allergies")."""
    return " ".join(_WORD.findall(text.casefold())) in _NOTHING | {""}


def describe_matches(matches: Sequence[Match]) -> str:
    """One line for staff: ``'warfrin' (read as warfarin): anticoagulant; lidocaine: numbing agent``."""
    return "; ".join(match.describe() for match in matches)
