"""Questions carry a kind (email, names, date of birth, phone, signature) instead of being known by code.

Until now the intake recognised these questions by their INTAKE.md codes; this
gives those questions the kinds that say the same, and writes the kind into
the published versions' questions too (what those versions meant, said the new
way), so an unchanged questionnaire does not look changed to the next publish.
"""

from django.db import migrations, models

# Frozen on purpose: the codes the intake matched before kinds.
KIND_BY_CODE = {
    "first_name": "first_name",
    "last_name": "last_name",
    "date_of_birth": "date_of_birth",
    "email": "email",
    "phone": "phone",
    "consent_signature": "signature",
}


def set_kinds(apps, schema_editor):
    db = schema_editor.connection.alias
    Question = apps.get_model("questionnaire", "Question")
    QuestionnaireVersion = apps.get_model("questionnaire", "QuestionnaireVersion")
    for code, kind in KIND_BY_CODE.items():
        Question.objects.using(db).filter(code=code).update(kind=kind)
    for version in QuestionnaireVersion.objects.using(db).all():
        for question in version.definition.get("questions", []):
            question.setdefault("kind", KIND_BY_CODE.get(question.get("code"), "none"))
        version.save(update_fields=["definition"])


def forget_kinds(apps, schema_editor):
    db = schema_editor.connection.alias
    QuestionnaireVersion = apps.get_model("questionnaire", "QuestionnaireVersion")
    for version in QuestionnaireVersion.objects.using(db).all():
        for question in version.definition.get("questions", []):
            question.pop("kind", None)
        version.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0002_defaults")]

    operations = [
        migrations.AddField(
            model_name="question",
            name="kind",
            field=models.CharField(
                choices=[
                    ("none", "Nothing particular"),
                    ("first_name", "First name"),
                    ("last_name", "Last name"),
                    ("date_of_birth", "Date of birth"),
                    ("email", "Email address"),
                    ("phone", "Phone number"),
                    ("signature", "Signature (the first and last name, typed)"),
                ],
                default="none",
                help_text="What the answer is (an email address, a name, a signature...): how it is checked and used.",
                max_length=20,
            ),
        ),
        migrations.RunPython(set_kinds, forget_kinds),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.UniqueConstraint(
                condition=models.Q(("active", True), models.Q(("kind", "none"), _negated=True)),
                fields=("kind",),
                name="question_one_active_per_kind",
                violation_error_message="Another active question is already of this kind.",
            ),
        ),
    ]
