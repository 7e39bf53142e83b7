"""questionnaire 0003 (question kinds) migrates a populated database without loss, and back.

Built at 0002: the default questionnaire, a question the clinic added, a
second published version, and an intake that answered the first. Migrated to
0003: the default questions have the kinds their codes meant, the clinic's
has none, every published version's questions say their kind, and nothing
else changed.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("questionnaire", "0002_defaults")]
AFTER = [("questionnaire", "0003_question_kind")]


def _migrate(targets):
    """Migrate the questionnaire app to ``targets``; the models as they are then, the other apps' included."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # review 0003 (the medicine list's permissions) needs questionnaire 0004: take review before it,
    # and fhir before its 0002 (which follows review 0004).
    others = [node for node in executor.loader.graph.leaf_nodes()
              if node[0] not in ("questionnaire", "review", "fhir")]
    return executor.loader.project_state([*others, ("review", "0002_staff_roles"), ("fhir", "0001_initial"),
                                          *targets]).apps


def test_kinds_are_set_from_the_codes_and_written_into_every_published_version():
    apps = _migrate(BEFORE)
    try:
        Question = apps.get_model("questionnaire", "Question")
        Step = apps.get_model("questionnaire", "Step")
        Version = apps.get_model("questionnaire", "QuestionnaireVersion")
        Intake = apps.get_model("intake", "Intake")
        Treatment = apps.get_model("core", "Treatment")
        if not Version.objects.exists():  # a flushed test database: publish version 1 as 0002 would
            Version.objects.create(number=1, definition={"steps": [], "questions": [
                {"code": q.code, "type": q.type, "label": q.label} for q in Question.objects.all()]})
        first = Version.objects.get(number=1)
        Question.objects.create(code="sunbed_use", step=Step.objects.get(number=4), order=99, type="yes_no",
                                label="A tattoo in the area?")
        Version.objects.create(number=2, definition={**first.definition, "questions": [
            *first.definition["questions"], {"code": "sunbed_use", "type": "yes_no", "label": "A tattoo?"}]})
        intake = Intake.objects.create(treatment=Treatment.objects.get(code="face"), questionnaire_version=first,
                                       answers={"email": "ada@example.com"}, email="ada@example.com")
        labels = dict(Question.objects.values_list("code", "label"))

        apps = _migrate(AFTER)
        Question = apps.get_model("questionnaire", "Question")
        Version = apps.get_model("questionnaire", "QuestionnaireVersion")
        Intake = apps.get_model("intake", "Intake")

        kinds = dict(Question.objects.values_list("code", "kind"))
        assert {code: kind for code, kind in kinds.items() if kind != "none"} == {
            "first_name": "first_name", "last_name": "last_name", "date_of_birth": "date_of_birth",
            "email": "email", "phone": "phone", "consent_signature": "signature"}
        assert kinds["sunbed_use"] == "none"
        assert dict(Question.objects.values_list("code", "label")) == labels
        for version in Version.objects.all():
            written = {q["code"]: q["kind"] for q in version.definition["questions"]}
            assert written == {code: kinds[code] for code in written}
        assert Intake.objects.get(pk=intake.pk).answers == {"email": "ada@example.com"}

        apps = _migrate(BEFORE)  # and back: the versions as they were
        Version = apps.get_model("questionnaire", "QuestionnaireVersion")
        assert not any("kind" in q for v in Version.objects.all() for q in v.definition["questions"])
    finally:  # back to the latest migrations, for the tests that follow
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
