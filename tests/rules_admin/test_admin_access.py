"""Every admin page of the rules admin, for a superuser (the stock admin is theirs alone, issue 17), GET and POST.

Pages answer 200 or 302 (a redirect for an unknown object, or after an
action), except the records that are never written by hand: revisions,
questionnaire versions, deleting rules or drafts, and steps and questions,
which change only through a draft at /staff/questions/ (403). A clinic admin
is sent to the set-up pages. The project-wide authorization matrix
(tests/staff) needs the same exceptions.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from screening.questionnaire.models import Rule, RuleDraft
from screening.questionnaire.services import draft_start
from tests.rules_admin.conftest import submit_intake

pytestmark = pytest.mark.django_db

MODELS = ("rule", "ruledraft", "rulerevision", "questionnaireversion", "question", "step")
REFUSED = {
    # The first rule (BLEEDING_DISORDER) has flagged an intake: retired, never deleted.
    "questionnaire_rule_delete": (403, 403),
    "questionnaire_ruledraft_delete": (403, 403),
    "questionnaire_rulerevision_add": (403, 403),
    "questionnaire_rulerevision_change": (200, 403),
    "questionnaire_rulerevision_delete": (403, 403),
    "questionnaire_questionnaireversion_add": (403, 403),
    "questionnaire_questionnaireversion_change": (200, 403),
    "questionnaire_questionnaireversion_delete": (403, 403),
    **{f"questionnaire_{model}_{action}": answer for model in ("question", "step") for action, answer in (
        ("add", (403, 403)), ("change", (200, 403)), ("delete", (403, 403)))},
}


def _urls() -> list[tuple[str, str]]:
    urls = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.model_name not in MODELS:
            continue
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        for pattern in model_admin.urls:
            if not pattern.name:
                continue
            args = [first] if "object_id" in pattern.pattern.regex.groupindex else []
            urls.append((pattern.name, reverse(f"admin:{pattern.name}", args=args)))
    return urls


@pytest.fixture
def superuser() -> Client:
    user = User.objects.create_superuser("root", "root@clinic.example", "pw")
    client = Client()
    client.force_login(user)
    submit_intake({"bleeding_disorder": True})
    draft_start(rule=Rule.objects.get(code="METAL_ALLERGY"), by=user)
    return client


def test_a_clinic_admin_is_sent_from_the_rules_admin_to_the_set_up_pages():
    user = User.objects.create_user("adele", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Clinic admin"))
    client = Client()
    client.force_login(user)
    for url in (reverse("admin:questionnaire_rule_changelist"), reverse("admin:questionnaire_question_add")):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("setup:home"))


def test_a_superuser_gets_every_rules_admin_page_or_a_deliberate_refusal(superuser):
    problems = []
    urls = _urls()
    assert len(urls) == 36
    for name, url in urls:
        for method, want in zip(("get", "post"), REFUSED.get(name, ({200, 302}, {200, 302}))):
            with transaction.atomic():
                response = getattr(superuser, method)(url)
                transaction.set_rollback(True)
            allowed = want if isinstance(want, set) else {want}
            if response.status_code not in allowed:
                problems.append(f"{name} {method.upper()} {url}: {response.status_code}, expected {want}")
    assert not problems, "\n".join(problems)
    assert RuleDraft.objects.count() == 1
