""""Has anything else changed since your last visit?" (issue 14): the check's free-text question and its rule.

The question is of the kind ``since_last_visit``, which the full intake form
never asks (``screening.questionnaire.selectors.BETWEEN_VISITS_KINDS``); it is
asked again before each visit, and ``CHANGED_SINCE_LAST_VISIT`` sends any
answer but "no" to a clinician. A new installation got both from 0002 (which
installs the defaults as they are now) without the kind or the mark, which
0003 and 0006 give by frozen code lists: this sets them. An older one gets the
question on the step of ``last_microneedling_date``, after it, and the rule
with its first revision. A new questionnaire version is published when the
question is new (as ``questionnaire_publish`` writes them, without an audit
line, as 0002 wrote version 1); a version that asks it already says its kind. The code and rule code are frozen; the
wording is read from the defaults, as 0002 and 0005 do.
"""

from django.db import migrations
from django.db.models import F

CODE, RULE, KIND = "anything_changed", "CHANGED_SINCE_LAST_VISIT", "since_last_visit"
BESIDE = "last_microneedling_date"
NOTE = "Anything else changed since the last visit (issue 14)."
RULE_FIELDS = ("code", "name", "severity", "treatments", "match", "conditions", "staff_message",
               "patient_message", "examples", "active")
QUESTION_FIELDS = ("code", "order", "type", "kind", "label", "help_text", "required", "choices",
                   "show_when_question", "show_when_value", "max_length", "must_be_true", "past_only", "allow_never",
                   "never_label", "allow_month", "allow_not_sure")


def _question(Step, Question, db) -> None:
    from screening.questionnaire.default_questions import QUESTIONS
    from screening.questionnaire.seed import question_fields

    spec = next(q for q in QUESTIONS if q["code"] == CODE)
    question = Question.objects.using(db).filter(code=CODE).first()
    if question is not None:
        question.kind, question.asked_again = KIND, True
        question.save(update_fields=["kind", "asked_again"])
        return
    if Question.objects.using(db).filter(active=True, kind=KIND).exists():
        return  # the clinic made its own question of this kind: it is theirs
    beside = Question.objects.using(db).filter(code=BESIDE).select_related("step").first()
    step = beside.step if beside else Step.objects.using(db).order_by("-number").first()
    if step is None:
        return
    steps = {spec["step"]: step}
    order = (beside.order + 1) if beside else 0
    Question.objects.using(db).filter(step=step, order__gte=order).exclude(code=CODE).update(order=F("order") + 1)
    Question.objects.using(db).create(code=CODE, **question_fields(Question, spec, steps, order))




def _rule(Rule, RuleRevision, db) -> None:
    from screening.questionnaire.defaults import RULES
    from screening.questionnaire.seed import rule_fields

    if Rule.objects.using(db).filter(code=RULE).exists():
        return  # installed by 0002 with its revision, or the clinic's own
    spec = next(r for r in RULES if r["code"] == RULE)
    rule = Rule.objects.using(db).create(code=RULE, **rule_fields(spec))
    RuleRevision.objects.using(db).create(rule=rule, number=rule.revision, source="seed", note=NOTE,
                                          definition={name: getattr(rule, name) for name in RULE_FIELDS})


def _publish(Step, Question, QuestionnaireVersion, db) -> None:
    latest = QuestionnaireVersion.objects.using(db).order_by("-number").first()
    if latest is None:
        return
    snapshot = {
        "steps": [{"number": s.number, "title": s.title, "intro": s.intro}
                  for s in Step.objects.using(db).order_by("number")],
        "questions": [{"step": q.step.number, **{name: getattr(q, name) for name in QUESTION_FIELDS}}
                      for q in Question.objects.using(db).filter(active=True).select_related("step")
                      .order_by("step__number", "order", "id")],
        "terms": latest.definition.get("terms", []),
    }
    installed = [q for q in latest.definition.get("questions", []) if q.get("code") == CODE]
    if installed:
        # A new installation's version 1 (from 0002) asks it already: it is the questionnaire as installed,
        # and now says its kind, as 0003 and 0005 said theirs.
        for question in installed:
            question["kind"] = KIND
        latest.save(update_fields=["definition"])
        return
    if latest.definition.get("steps") == snapshot["steps"] and latest.definition.get("questions") == snapshot[
            "questions"]:
        return
    QuestionnaireVersion.objects.using(db).create(number=latest.number + 1, definition=snapshot, note=NOTE)


def anything_changed(apps, schema_editor):
    db = schema_editor.connection.alias
    Step, Question = apps.get_model("questionnaire", "Step"), apps.get_model("questionnaire", "Question")
    if not Question.objects.using(db).exists():
        return  # an empty database: nothing was installed, nothing to bring forward
    _question(Step, Question, db)
    _rule(apps.get_model("questionnaire", "Rule"), apps.get_model("questionnaire", "RuleRevision"), db)
    _publish(Step, Question, apps.get_model("questionnaire", "QuestionnaireVersion"), db)


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0007_question_kind_since_last_visit")]

    operations = [migrations.RunPython(anything_changed, migrations.RunPython.noop)]
