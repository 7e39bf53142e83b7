"""The clinic's medicine and allergen list (issue 18): seeded with a source per entry, extended on the set-up pages
(issue 17: /staff/setup/medicine-terms/, audited; the stock admin shows it read-only)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from screening.audit.models import AuditAction, AuditEvent
from screening.questionnaire.admin_selectors import current_questionnaire_version
from screening.questionnaire.defaults import baseline_answers
from screening.questionnaire.models import MedicineTerm
from screening.questionnaire.selectors import forget_questionnaire, live_questionnaire, rule_data
from screening.review.permissions import CLINIC_ADMIN, roles_install
from screening.rules import DEFAULT_TERMS, answers_to_json, screen_answers
from tests.staff.conftest import make_staff, staff_client

pytestmark = pytest.mark.django_db

DAY = date(2027, 1, 15)
NEW_TERM = {"term": "tranexamic acid", "term_class": "antifibrinolytic", "aliases": "Cyklokapron,  tranexamic, ",
            "source": "Our haematologist, 2026", "active": "on"}


@pytest.fixture
def setup_client(db):
    roles_install()
    return staff_client(make_staff("adele", CLINIC_ADMIN))


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


def test_a_term_the_clinic_adds_on_the_set_up_pages_is_read_from_the_next_screening(setup_client):
    assert [f.rule for f in _screen(medications="tranexamic acid").flags] == ["MEDICINES_LISTED"]
    before = current_questionnaire_version().number

    response = setup_client.post(reverse("setup:term_new"), NEW_TERM)

    assert response.status_code == 302 and response["Location"] == reverse("setup:terms")
    term = MedicineTerm.objects.get(term="tranexamic acid")
    assert term.aliases == "Cyklokapron, tranexamic"
    line = AuditEvent.objects.get(action=AuditAction.SETUP_CHANGED, object_id=str(term.pk))
    assert line.actor_label == "adele" and line.detail.startswith("medicine term added")
    assert current_questionnaire_version().number == before + 1  # the list is part of the questionnaire
    assert any(t["term"] == "tranexamic acid" for t in current_questionnaire_version().definition["terms"])
    flag = _screen(medications="Cyklokapron before dental work").flags[0]
    assert (flag.rule, flag.severity) == ("MEDICINE_MENTIONED", "review")
    assert "tranexamic acid" in flag.evidence["medications_matched"]
    assert "antifibrinolytic" in flag.staff_message


def test_a_term_is_changed_and_retired_on_its_page(setup_client):
    gold = MedicineTerm.objects.get(term="gold")
    page = setup_client.get(reverse("setup:term", args=[gold.pk]))
    assert page.status_code == 200 and 'value="gold"' in page.content.decode()
    data = {"term": "gold", "term_class": gold.term_class, "aliases": gold.aliases, "source": gold.source}
    response = setup_client.post(reverse("setup:term", args=[gold.pk]), data)  # "active" unticked
    assert response.status_code == 302
    gold.refresh_from_db()
    assert gold.active is False
    assert [f.rule for f in _screen(other_allergies="gold earrings").flags] == ["MEDICINES_LISTED"]
    assert "(retired)" in setup_client.get(reverse("setup:terms")).content.decode()


@pytest.mark.parametrize(("change", "message"), [
    ({"term_class": "blood thinner"}, "Write the class as one word"),
    ({"term": "warfarin"}, "This medicine or allergen is already listed."),
    ({"source": ""}, "This field is required."),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_lost(setup_client, change, message):
    before = (MedicineTerm.objects.count(), current_questionnaire_version().number)
    response = setup_client.post(reverse("setup:term_new"), {**NEW_TERM, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "nothing was saved" in page
    assert f'value="{ {**NEW_TERM, **change}["term"] }"' in page  # what was typed is kept
    assert (MedicineTerm.objects.count(), current_questionnaire_version().number) == before
    assert not AuditEvent.objects.filter(action=AuditAction.SETUP_CHANGED).exists()


def test_the_stock_admin_shows_the_list_but_changes_nothing(admin_client):
    gold = MedicineTerm.objects.get(term="gold")
    page = admin_client.get(reverse("admin:questionnaire_medicineterm_change", args=[gold.pk]))
    assert page.status_code == 200 and reverse("setup:terms") in page.content.decode()
    assert admin_client.post(reverse("admin:questionnaire_medicineterm_change", args=[gold.pk]),
                             {"term": "gold", "term_class": "metal", "source": "x"}).status_code == 403
    assert admin_client.post(reverse("admin:questionnaire_medicineterm_add"), NEW_TERM).status_code == 403
    gold.refresh_from_db()
    assert gold.active and not MedicineTerm.objects.filter(term="tranexamic acid").exists()


def test_a_retired_term_is_no_longer_looked_for():
    MedicineTerm.objects.filter(term="gold").update(active=False)
    forget_questionnaire()

    assert [f.rule for f in _screen(other_allergies="gold earrings").flags] == ["MEDICINES_LISTED"]
    assert [f.rule for f in _screen(other_allergies="nickel earrings").flags] == ["MEDICINE_MENTIONED"]


def test_the_live_questionnaire_hands_the_engine_the_clinic_list():
    rules = {rule["code"]: rule for rule in live_questionnaire().rule_specs}

    value = rules["MEDICINE_MENTIONED"]["conditions"][0]["value"]
    assert len(value) == len(DEFAULT_TERMS) and {"term", "class", "aliases", "source"} <= set(value[0])
