"""Reads that matter, kept in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from screening.models import Intake, Question, QuestionnaireVersion, Rule, Step


def question_specs() -> list[dict]:
    return [q.as_spec() for q in Question.objects.filter(active=True).select_related("step")]


def rule_specs() -> list[dict]:
    return [r.as_spec() for r in Rule.objects.filter(active=True)]


def rule_data() -> tuple[list[dict], list[dict]]:
    """The published questions and rules as the pure engine reads them."""
    return question_specs(), rule_specs()


def steps_with_questions() -> list[Step]:
    return list(
        Step.objects.prefetch_related(
            Prefetch("questions", queryset=Question.objects.filter(active=True).order_by("order", "id"))
        ).order_by("number")
    )


# -- the live questionnaire, read once per process and revision ---------------------------------
#
# Every patient request needs the steps, their questions and (to submit) the
# rules. They change only when a clinic admin publishes: a questionnaire
# version (every admin change to a step or question publishes one), a rule
# revision (drafts, imports). So each process keeps the last set it read,
# under a key computed by one small query on every use: the latest
# questionnaire version, and per table the count, ids, revisions and last
# change of the rows (the patient's pages read it with their intake, in the
# same query). A publication in any process changes the key, and the
# next request anywhere reads the new set. Within a process, a save or delete
# of a step, question, rule or version (admin, shell, tests) also empties the
# cache at once, even when it changes no part of the key.


@dataclass(frozen=True)
class Questionnaire:
    """The live steps (their active questions prefetched, in order), and the engine's specs.

    Shared by the requests of a process: read it, never change it.
    """

    key: str
    steps: list[Step]
    question_specs: list[dict]
    rule_specs: list[dict]

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)

    def step_of(self, codes) -> Step | None:
        """The first step that asks one of these questions."""
        codes = set(codes)
        return next((s for s in self.steps if any(q.code in codes for q in s.questions.all())), None)

    @property
    def rule_data(self) -> tuple[list[dict], list[dict]]:
        return self.question_specs, self.rule_specs


def _key_sql() -> str:
    step, question, rule = Step._meta.db_table, Question._meta.db_table, Rule._meta.db_table
    version = QuestionnaireVersion._meta.db_table

    def part(sql: str) -> str:
        return f"COALESCE(CAST(({sql}) AS TEXT), '-')"

    parts = [
        part(f"SELECT MAX(number) FROM {version}"),
        part(f"SELECT COUNT(*) FROM {step}"), part(f"SELECT SUM(id) FROM {step}"),
        part(f"SELECT COUNT(*) FROM {question} WHERE active"), part(f"SELECT SUM(id) FROM {question} WHERE active"),
        part(f"SELECT COUNT(*) FROM {rule}"), part(f"SELECT SUM(revision * id) FROM {rule}"),
        part(f"SELECT SUM(id) FROM {rule} WHERE active"), part(f"SELECT MAX(updated_at) FROM {rule}"),
    ]
    return " || ':' || ".join(parts)


_KEY_SQL = _key_sql()
_cached: Questionnaire | None = None


def questionnaire_key() -> str:
    """What identifies the live questionnaire and rules (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_KEY_SQL}")
        return cursor.fetchone()[0]


def intakes_with_questionnaire_key() -> QuerySet[Intake]:
    """Intakes (with their treatment) annotated ``questionnaire_key``: the key rides along, no query of its own."""
    return Intake.objects.select_related("treatment").annotate(questionnaire_key=RawSQL(_KEY_SQL, ()))


def live_questionnaire(key: str | None = None) -> Questionnaire:
    """The live questionnaire and rules: one query while they are unchanged (none given the
    ``key`` just read), three more when they changed."""
    global _cached
    if key is None:
        key = questionnaire_key()
    cached = _cached
    if cached is not None and cached.key == key:
        return cached
    steps = steps_with_questions()
    loaded = Questionnaire(
        key=key,
        steps=steps,
        # Question.Meta.ordering (step number, order, id), as question_specs() reads them.
        question_specs=[q.as_spec() for s in steps for q in s.questions.all()],
        rule_specs=rule_specs(),
    )
    _cached = loaded
    return loaded


def forget_questionnaire(**kwargs) -> None:
    global _cached
    _cached = None


for _model in (Step, Question, Rule, QuestionnaireVersion):
    post_save.connect(forget_questionnaire, sender=_model, dispatch_uid=f"forget-questionnaire-save-{_model.__name__}")
    post_delete.connect(forget_questionnaire, sender=_model,
                        dispatch_uid=f"forget-questionnaire-delete-{_model.__name__}")
