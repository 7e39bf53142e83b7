"""Free text read for listed medicines and allergens (issue 18): whole words, any case, common misspellings."""

from __future__ import annotations

from datetime import date

import pytest

from screening.questionnaire.defaults import QUESTIONS, RULES, baseline_answers
from screening.rules import DEFAULT_TERMS, TERM_CLASSES, find_terms, screen


def _found(text: str) -> list[tuple[str, str]]:
    return [(match.term, match.term_class) for match in find_terms(text, DEFAULT_TERMS)]


@pytest.mark.parametrize(("text", "expected"), [
    ("warfarin 5 mg; isotretinoin 20 mg daily", [("warfarin", "anticoagulant"), ("isotretinoin", "oral_retinoid")]),
    ("lidocaine: throat swelling", [("lidocaine", "numbing_agent")]),
    ("WARFARIN", [("warfarin", "anticoagulant")]),
    ("Eliquis twice a day", [("apixaban", "anticoagulant")]),
    ("xarelto", [("rivaroxaban", "anticoagulant")]),
    ("Roaccutane last year", [("isotretinoin", "oral_retinoid")]),
    ("oral steroids for asthma", [("oral steroids", "immunosuppressant")]),
    ("methotrexate weekly, folic acid", [("methotrexate", "immunosuppressant")]),
    ("allergic to nickel and cobalt", [("nickel", "metal"), ("cobalt", "metal")]),
    ("a daily aspirin", [("aspirin", "antiplatelet")]),
    ("numbing cream made me itch", [("numbing", "numbing_agent")]),
])
def test_a_listed_medicine_or_allergen_is_found_with_its_class(text, expected):
    assert _found(text) == expected


@pytest.mark.parametrize(("text", "term"), [
    ("warfrin", "warfarin"),          # a letter missing (loose match)
    ("wafarin", "warfarin"),          # listed misspelling
    ("clopidogrell", "clopidogrel"),  # a letter extra
    ("apixiban", "apixaban"),         # a letter wrong
    ("lidocane", "lidocaine"),
    ("acutane", "isotretinoin"),      # the brand, misspelt
    ("Roacutane", "isotretinoin"),
    ("methotrexat", "methotrexate"),
    ("asprin", "aspirin"),            # short: a listed misspelling, not a loose match
    ("nickle", "nickel"),
])
def test_common_misspellings_are_found_and_named_as_written(text, term):
    (match,) = find_terms(f"I take {text} daily", DEFAULT_TERMS)

    assert match.term == term
    assert match.words.lower() == text.lower()
    assert "read as" in match.describe() or match.words.lower() == term


@pytest.mark.parametrize("text", [
    "aspirin-free painkillers",     # free of it
    "Aspirin - free",
    "non-aspirin pain relief",
    "vitamin D, iron",
    "I have a good diet",           # "good" is not "gold": short words never match loosely
    "the cut was nicked",           # "nicked" is not "nickel"
    "goldfish",                     # whole words only
    "",
    "   ",
])
def test_words_that_must_not_match(text):
    assert _found(text) == []


def test_a_plural_of_a_long_name_is_within_reach_of_the_loose_match():
    assert _found("prednisolones") == [("prednisolone", "immunosuppressant")]


def test_each_term_is_reported_once_in_the_order_written():
    assert _found("lidocaine, then warfarin, then lidocaine again") == [
        ("lidocaine", "numbing_agent"), ("warfarin", "anticoagulant")]


def test_a_clinic_term_with_aliases_is_read_like_the_defaults():
    terms = [{"term": "tranexamic acid", "class": "antifibrinolytic", "aliases": ["Cyklokapron"], "source": "x"}]

    assert [(m.term, m.words) for m in find_terms("cyklokapron and TRANEXAMIC  ACID", terms)] == [
        ("tranexamic acid", "cyklokapron")]


def test_every_default_entry_names_a_class_with_a_source():
    assert all(term["class"] in TERM_CLASSES and term["source"].strip() for term in DEFAULT_TERMS)
    assert len({term["term"] for term in DEFAULT_TERMS}) == len(DEFAULT_TERMS)


@pytest.mark.parametrize("text", ["None", "none.", "N/A", "n/a", "Nil", "No known allergies", "NKDA", "  no  "])
def test_saying_there_is_nothing_is_not_something_written(text):
    day = date(2027, 1, 15)
    result = screen(baseline_answers(day) | {"other_allergies": text}, rules=RULES, questions=QUESTIONS,
                    treatment="face", on_date=day)

    assert result.flags == []
