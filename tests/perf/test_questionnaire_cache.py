"""The questionnaire and rules kept in process memory are never stale.

``screening.questionnaire.selectors.live_questionnaire`` keeps the last set a
process read, under a key read on every use: the latest questionnaire version
and the latest rule revision. A publication made by another process
(simulated here by writing what it writes, without Django's signals:
``update`` and ``bulk_create`` of the rule or question and of its revision or
version) changes the key, so the very next request uses it; one made in this
process (the admin, a shell) also empties the cache at once.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from screening.intake.models import Flag, Intake
from screening.questionnaire import selectors
from screening.questionnaire.models import Question, QuestionnaireVersion, Rule, RuleDraft, RuleRevision, Step
from screening.questionnaire.services import draft_publish, draft_start
from screening.questionnaire.versions import questionnaire_publish, questionnaire_snapshot
from tests.intake.helpers import LAST_STEP, draft_at, post_step, step_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cold_questionnaire_cache")]


def _published_elsewhere(code: str, **changes) -> None:
    """What another process's publication of a rule change leaves in the database (no signals here)."""
    Rule.objects.filter(code=code).update(**changes)
    rule = Rule.objects.get(code=code)
    RuleRevision.objects.bulk_create([RuleRevision(rule=rule, number=rule.revision, definition={"code": code},
                                                   source=RuleRevision.Source.IMPORT)])


def _version_published_elsewhere() -> None:
    """What another process's questionnaire publication leaves: a new version of what the rows now hold."""
    latest = QuestionnaireVersion.objects.order_by("-number").first()
    QuestionnaireVersion.objects.bulk_create([QuestionnaireVersion(number=latest.number + 1,
                                                                   definition=questionnaire_snapshot())])


def _submit_with_keloid(client) -> Flag:
    intake = draft_at(client, LAST_STEP)
    Intake.objects.filter(pk=intake.pk).update(answers={**Intake.objects.get(pk=intake.pk).answers,
                                                       "keloid_history": True})
    assert post_step(client, intake, LAST_STEP).status_code == 302
    return Flag.objects.get(screening__intake=intake)


def test_the_cached_set_is_what_the_database_holds():
    live = selectors.live_questionnaire()
    assert live.question_specs == selectors.question_specs()
    assert live.rule_specs == selectors.rule_specs()
    assert [s.number for s in live.steps] == [s.number for s in selectors.steps_with_questions()]
    assert selectors.live_questionnaire() is live  # unchanged: the same object, no reload


def test_a_rule_published_in_the_admin_is_used_by_the_next_submit(client, admin_user):
    client.get("/intake/")
    selectors.live_questionnaire()  # warm
    rule = Rule.objects.get(code="KELOID")
    draft = draft_start(rule=rule, by=admin_user)
    RuleDraft.objects.filter(pk=draft.pk).update(severity="review")
    draft.refresh_from_db()
    draft.examples.filter(expected="not_suitable").update(expected="review")  # what the change means
    draft_publish(draft=draft, by=admin_user)

    flag = _submit_with_keloid(client)
    assert (flag.severity, flag.rule_revision) == ("review", 2)


def test_a_rule_published_by_another_process_is_used_by_the_next_submit(client):
    assert _submit_with_keloid(client).severity == "block"  # the cache is warm now
    # What another process's publication leaves in the database, without this process's signals.
    _published_elsewhere("KELOID", severity="info", revision=2)

    flag = _submit_with_keloid(client)
    assert (flag.severity, flag.rule_revision) == ("info", 2)


def test_a_rule_retired_by_another_process_no_longer_screens(client):
    assert _submit_with_keloid(client).rule_code == "KELOID"
    _published_elsewhere("KELOID", active=False, revision=2)

    intake = draft_at(client, LAST_STEP)
    Intake.objects.filter(pk=intake.pk).update(answers={**Intake.objects.get(pk=intake.pk).answers,
                                                       "keloid_history": True})
    post_step(client, intake, LAST_STEP)
    intake.refresh_from_db()
    assert intake.outcome == "eligible"


def test_a_questionnaire_version_published_by_another_process_shows_at_once(client):
    intake = draft_at(client, step_of("bleeding_disorder"))
    url = reverse("intake:step", args=[intake.public_id, step_of("bleeding_disorder")])
    assert "bleeding or clotting disorder" in client.get(url).content.decode()
    # Another process edits a question and publishes version 2 (no signals reach this one).
    Question.objects.filter(code="bleeding_disorder").update(label="Do you bleed or bruise easily?")
    _version_published_elsewhere()

    page = client.get(url).content.decode()
    assert "Do you bleed or bruise easily?" in page
    assert "bleeding or clotting disorder" not in page


def test_a_question_retired_by_another_process_is_no_longer_asked(client):
    intake = draft_at(client, step_of("metal_allergy"))
    url = reverse("intake:step", args=[intake.public_id, step_of("metal_allergy")])
    assert 'name="metal_allergy"' in client.get(url).content.decode()
    # Another process retires a question (the admin publishes a version with every change).
    Question.objects.filter(code="metal_allergy").update(active=False)
    _version_published_elsewhere()

    assert 'name="metal_allergy"' not in client.get(url).content.decode()


def test_a_question_saved_in_this_process_shows_at_once_even_before_a_version(client):
    intake = draft_at(client, 3)
    url = reverse("intake:step", args=[intake.public_id, 3])
    client.get(url)
    question = Question.objects.get(code="active_acne")
    question.label = "Any spots right now?"
    question.save()
    assert "Any spots right now?" in client.get(url).content.decode()

    questionnaire_publish(note="acne wording")
    assert "Any spots right now?" in client.get(url).content.decode()


def test_a_step_renamed_in_this_process_shows_at_once(client):
    intake = draft_at(client, 3)
    url = reverse("intake:step", args=[intake.public_id, 3])
    client.get(url)
    step = Step.objects.get(number=3)
    step.title = "Health, first part"
    step.save()
    assert "<h1 class=\"h3\">Health, first part</h1>" in client.get(url).content.decode()
