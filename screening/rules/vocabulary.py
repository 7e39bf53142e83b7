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

__all__ = ["FUZZY_MIN_LENGTH", "FUZZY_RATIO", "Match", "describe_matches", "find_terms", "says_nothing"]

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


def _close(word: str, name: str) -> bool:
    if len(word) < FUZZY_MIN_LENGTH or len(name) < FUZZY_MIN_LENGTH:
        return False
    return SequenceMatcher(None, word, name).ratio() >= FUZZY_RATIO


def find_terms(text: str, terms: Iterable[Mapping[str, Any]]) -> list[Match]:
    """The listed terms named in ``text``, in the order they appear (each term once)."""
    if not isinstance(text, str) or not text.strip():
        return []
    words = _words(text)
    entries = [(term, _names(term)) for term in terms if isinstance(term, Mapping)]
    found: dict[str, tuple[int, Match]] = {}
    for index, (word, start, _end) in enumerate(words):
        for term, names in entries:
            key = str(term.get("term", "")).casefold()
            if key in found:
                continue
            match = _match_at(text, words, index, word, names)
            if match is not None:
                written, misspelt = match
                found[key] = (start, Match(written, str(term.get("term")), str(term.get("class", "")), misspelt))
    return [match for _start, match in sorted(found.values(), key=lambda item: item[0])]


def _match_at(
    text: str, words: Sequence[tuple[str, int, int]], index: int, word: str, names: list[tuple[str, ...]]
) -> tuple[str, bool] | None:
    """(the words as written, whether misspelt) when one of ``names`` starts at ``words[index]``."""
    for name in names:
        if not name:
            continue
        following = words[index:index + len(name)]
        if len(following) == len(name) and all(w == n for (w, _s, _e), n in zip(following, name, strict=True)):
            return text[following[0][1]:following[-1][2]], False
    for name in names:
        if len(name) == 1 and _close(word, name[0]):
            _word, start, end = words[index]
            return text[start:end], True
    return None


#: What patients write to say there is nothing to tell (compared without case and punctuation).
_NOTHING = frozenset({"none", "no", "nil", "nothing", "na", "n a", "not applicable", "none known", "no allergies",
                      "no known allergies", "nka", "nkda", "no medicines", "no medication", "no medications"})


def says_nothing(text: str) -> bool:
    """True for a blank text or one that only says there is nothing ("None", "n/a", "No known allergies")."""
    return " ".join(_WORD.findall(text.casefold())) in _NOTHING | {""}


def describe_matches(matches: Sequence[Match]) -> str:
    """One line for staff: ``'warfrin' (read as warfarin): anticoagulant; lidocaine: numbing agent``."""
    return "; ".join(match.describe() for match in matches)
