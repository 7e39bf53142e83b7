"""The default questionnaire, rule set and treatments of INTAKE.md, their first revisions and version 1."""

from django.db import migrations

# Frozen copies, on purpose: a migration must not follow later code.
RULE_FIELDS = ("code", "name", "severity", "treatments", "match", "conditions", "staff_message",
               "patient_message", "examples", "active")
QUESTION_FIELDS = ("code", "order", "type", "label", "help_text", "required", "choices", "show_when_question",
                   "show_when_value", "max_length", "must_be_true", "past_only", "allow_never")


def install_defaults(apps, schema_editor):
    from screening.questionnaire.seed import install_defaults

    install_defaults(
        Step=apps.get_model("questionnaire", "Step"),
        Question=apps.get_model("questionnaire", "Question"),
        Rule=apps.get_model("questionnaire", "Rule"),
        Treatment=apps.get_model("core", "Treatment"),
    )


def seed_revisions_and_version(apps, schema_editor):
    """Revision rows for the rules as they are, and questionnaire version 1."""
    db = schema_editor.connection.alias
    Rule = apps.get_model("questionnaire", "Rule")
    RuleRevision = apps.get_model("questionnaire", "RuleRevision")
    for rule in Rule.objects.using(db).all():
        definition = {name: getattr(rule, name) for name in RULE_FIELDS}
        RuleRevision.objects.using(db).get_or_create(
            rule=rule, number=rule.revision,
            defaults={"definition": definition, "source": "seed", "note": "The rule as installed."},
        )
    Step = apps.get_model("questionnaire", "Step")
    Question = apps.get_model("questionnaire", "Question")
    QuestionnaireVersion = apps.get_model("questionnaire", "QuestionnaireVersion")
    if QuestionnaireVersion.objects.using(db).exists() or not Question.objects.using(db).exists():
        return
    questions = Question.objects.using(db).filter(active=True).select_related("step").order_by(
        "step__number", "order", "id"
    )
    QuestionnaireVersion.objects.using(db).create(
        number=1,
        definition={
            "steps": [{"number": s.number, "title": s.title, "intro": s.intro}
                      for s in Step.objects.using(db).order_by("number")],
            "questions": [{"step": q.step.number, **{name: getattr(q, name) for name in QUESTION_FIELDS}}
                          for q in questions],
        },
        note="The questionnaire as installed.",
    )


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0001_initial"), ("core", "0001_initial")]
    operations = [
        migrations.RunPython(install_defaults, migrations.RunPython.noop),
        migrations.RunPython(seed_revisions_and_version, migrations.RunPython.noop),
    ]
