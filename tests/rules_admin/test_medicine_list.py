"""The clinic's medicine and allergen list (issue 18): seeded with a source per entry, extended in the admin."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from screening.questionnaire.admin_selectors import current_questionnaire_version
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.models import MedicineTerm
from screening.questionnaire.selectors import forget_questionnaire, live_questionnaire, rule_data
from screening.rules import DEFAULT_TERMS, answers_to_json, screen_answers

pytestmark = pytest.mark.django_db

DAY = date(2027, 1, 15)


def _screen(**answers):
    questions, rules = rule_data()
    return screen_answers(answers_to_json(baseline_answers(DAY)) | answers, rules=rules, questions=questions,
                          treatment="face", on_date=DAY)


def test_the_default_list_is_installed_with_a_source_for_every_entry():
    terms = MedicineTerm.objects.all()

    assert terms.count() == len(DEFAULT_TERMS)
    assert all(term.source.strip() for term in terms)
    assert {term.term_class for term in terms} == {"anticoagulant", "antiplatelet", "oral_retinoid",
                                                   "immunosuppressant", "numbing_agent", "metal"}


def test_a_term_the_clinic_adds_in_the_admin_is_read_from_the_next_screening(admin_client):
    assert [f.rule for f in _screen(medications="tranexamic acid").flags] == ["MEDICINES_LISTED"]
    before = current_questionnaire_version().number

    response = admin_client.post(reverse("admin:questionnaire_medicineterm_add"), {
        "term": "tranexamic acid", "term_class": "antifibrinolytic", "aliases": "Cyklokapron, tranexamic",
        "source": "Our haematologist, 2026", "active": "on"})

    assert response.status_code == 302
    assert current_questionnaire_version().number == before + 1  # the list is part of the questionnaire
    assert any(t["term"] == "tranexamic acid" for t in current_questionnaire_version().definition["terms"])
    flag = _screen(medications="Cyklokapron before dental work").flags[0]
    assert (flag.rule, flag.severity) == ("MEDICINE_MENTIONED", "review")
    assert "tranexamic acid" in flag.evidence["medications_matched"]
    assert "antifibrinolytic" in flag.staff_message


def test_a_retired_term_is_no_longer_looked_for():
    MedicineTerm.objects.filter(term="gold").update(active=False)
    forget_questionnaire()

    assert [f.rule for f in _screen(other_allergies="gold earrings").flags] == ["MEDICINES_LISTED"]
    assert [f.rule for f in _screen(other_allergies="nickel earrings").flags] == ["MEDICINE_MENTIONED"]


def test_the_live_questionnaire_hands_the_engine_the_clinic_list():
    rules = {rule["code"]: rule for rule in live_questionnaire().rule_specs}

    value = rules["MEDICINE_MENTIONED"]["conditions"][0]["value"]
    assert len(value) == len(DEFAULT_TERMS) and {"term", "class", "aliases", "source"} <= set(value[0])
