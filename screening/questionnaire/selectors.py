"""Reads that matter, kept in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import Prefetch, Subquery
from django.db.models.signals import post_delete, post_save

from screening.questionnaire.models import (
    MedicineTerm,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Rule,
    RuleRevision,
    Step,
)
from screening.rules import CompiledRules, compile_rules


def question_specs() -> list[dict]:
    return [q.as_spec() for q in Question.objects.filter(active=True).select_related("step")]


def medicine_terms() -> list[dict]:
    """The clinic's active medicine and allergen list, as the engine reads it."""
    return [term.as_spec() for term in MedicineTerm.objects.filter(active=True).order_by("term_class", "term")]


#: The operators that read free text for the clinic's medicine list (their stored value is empty).
TERM_OPERATORS = frozenset({"names_listed", "names_nothing_listed"})


def with_terms(specs: list[dict], terms: list[dict] | None = None) -> list[dict]:
    """Rule specs whose medicine-list conditions carry the clinic's list (read once, when some need it).

    Stored, such a condition has no value; the engine would read the built-in
    default list (``screening.rules.DEFAULT_TERMS``) without the clinic's additions.
    """
    needs = {id(spec) for spec in specs if any(
        isinstance(c, dict) and c.get("op") in TERM_OPERATORS and c.get("value") is None
        for c in spec.get("conditions") or ())}
    if not needs:
        return specs
    terms = medicine_terms() if terms is None else terms
    result = []
    for spec in specs:
        if id(spec) in needs:
            spec = {**spec, "conditions": [
                {**c, "value": terms} if isinstance(c, dict) and c.get("op") in TERM_OPERATORS
                and c.get("value") is None else c
                for c in spec["conditions"]]}
        result.append(spec)
    return result


def rule_specs() -> list[dict]:
    return with_terms([r.as_spec() for r in Rule.objects.filter(active=True)])


def rule_data() -> tuple[list[dict], list[dict]]:
    """The published questions and rules as the pure engine reads them."""
    return question_specs(), rule_specs()


#: Kinds the full intake form never asks: what changed since the last visit means nothing at a first one.
BETWEEN_VISITS_KINDS = frozenset({QuestionKind.SINCE_LAST_VISIT})


def steps_with_questions() -> list[Step]:
    """The steps of the full intake form, each with the active questions it asks."""
    return list(
        Step.objects.prefetch_related(
            Prefetch("questions", queryset=Question.objects.filter(active=True).exclude(
                kind__in=BETWEEN_VISITS_KINDS).order_by("order", "id"))
        ).order_by("number")
    )


def between_visits_questions() -> list[Question]:
    """The active questions only the check before a next visit asks (see ``BETWEEN_VISITS_KINDS``)."""
    return list(Question.objects.filter(active=True, kind__in=BETWEEN_VISITS_KINDS).select_related("step"))


# -- the live questionnaire, read once per process and publication ---------------------------
#
# Every patient request needs the steps, their questions and (to submit) the
# rules. They change only when a clinic admin publishes: a questionnaire
# version (every admin change to a step, question or medicine term publishes one) or a rule
# revision (drafts, imports). So each process keeps the last set it read,
# under a key that names those publications: the latest questionnaire version
# and the latest rule revision. A publication in any process changes the key,
# and the next request anywhere reads the new set. Within a process, a save or
# delete of a step, question, rule or version (admin, shell, tests) also
# empties the cache at once.


@dataclass(frozen=True)
class Questionnaire:
    """The live steps (their active questions prefetched, in order), and the engine's specs.

    Shared by the requests of a process: read it, never change it.
    """

    key: QuestionnaireKey
    steps: list[Step]
    question_specs: list[dict]
    rule_specs: list[dict]
    #: Asked in the check before a next visit only, after the steps' questions (never in the full form).
    between_visits: tuple[Question, ...] = ()

    @cached_property
    def specs_by_code(self) -> dict[str, dict]:
        """The question specs by code: what show-when (``screening.rules.is_shown``) reads."""
        return {spec["code"]: spec for spec in self.question_specs}

    @cached_property
    def code_of_kind(self) -> dict[str, str]:
        """The code of the active question of each kind (email, first name...), the kinds there are."""
        return {spec["kind"]: spec["code"] for spec in self.question_specs if spec["kind"] != QuestionKind.NONE}

    def step(self, number: int) -> Step | None:
        return next((s for s in self.steps if s.number == number), None)

    def step_of(self, codes) -> Step | None:
        """The first step that asks one of these questions."""
        codes = set(codes)
        return next((s for s in self.steps if any(q.code in codes for q in s.questions.all())), None)

    @cached_property
    def compiled_rules(self) -> CompiledRules:
        """The rules compiled once for the process's screenings (``screening.rules.compile_rules``)."""
        return compile_rules(self.rule_specs, self.question_specs)

    @property
    def rule_data(self) -> tuple[list[dict], CompiledRules]:
        """What the engine screens with: the question specs and the compiled rules."""
        return self.question_specs, self.compiled_rules


QuestionnaireKey = tuple[int, int]


def questionnaire_key_annotations() -> dict:
    """The key's two parts as annotations, so they ride along a page's main query."""
    return {
        "questionnaire_number": Subquery(QuestionnaireVersion.objects.order_by("-number").values("number")[:1]),
        "rules_revision_id": Subquery(RuleRevision.objects.order_by("-pk").values("pk")[:1]),
    }


def questionnaire_key() -> QuestionnaireKey:
    """What identifies the live questionnaire and rules: the latest version and rule revision (one query)."""
    versions, revisions = QuestionnaireVersion._meta.db_table, RuleRevision._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(number) FROM {versions}), (SELECT MAX(id) FROM {revisions})")
        number, revision = cursor.fetchone()
    return (number or 0, revision or 0)


def key_of(obj) -> QuestionnaireKey:
    """The key read along with ``obj`` (annotated with ``questionnaire_key_annotations``)."""
    return (obj.questionnaire_number or 0, obj.rules_revision_id or 0)


_cached: Questionnaire | None = None


def live_questionnaire(key: QuestionnaireKey | None = None) -> Questionnaire:
    """The live questionnaire and rules: one query while they are unchanged (none given the
    ``key`` just read), five more when they changed (steps, questions, the between-visits questions, rules,
    the medicine list)."""
    global _cached
    if key is None:
        key = questionnaire_key()
    cached = _cached
    if cached is not None and cached.key == key:
        return cached
    steps = steps_with_questions()
    between = between_visits_questions()
    loaded = Questionnaire(
        key=key,
        steps=steps,
        # Question.Meta.ordering (step number, order, id), as question_specs() reads them; the rules read
        # the between-visits questions too, in their place.
        question_specs=_in_order(steps, between),
        between_visits=tuple(between),
        rule_specs=rule_specs(),
    )
    _cached = loaded
    return loaded


def _in_order(steps: list[Step], between: list[Question]) -> list[dict]:
    """Every active question's spec in Question.Meta.ordering (step number, order, id)."""
    placed = [((step.number, q.order, q.pk), q) for step in steps for q in step.questions.all()]
    placed += [((q.step.number, q.order, q.pk), q) for q in between]  # their step came along (select_related)
    questions = [q for _key, q in sorted(placed, key=lambda item: item[0])]
    return [q.as_spec() for q in questions]


def forget_questionnaire(**kwargs) -> None:
    global _cached
    _cached = None


for _model in (Step, Question, Rule, QuestionnaireVersion, MedicineTerm):
    post_save.connect(forget_questionnaire, sender=_model, dispatch_uid=f"forget-questionnaire-save-{_model.__name__}")
    post_delete.connect(forget_questionnaire, sender=_model,
                        dispatch_uid=f"forget-questionnaire-delete-{_model.__name__}")
