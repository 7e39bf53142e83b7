"""The default questionnaire's Spanish (issue 16): every step, question, answer label and rule message of the
defaults that this installation still has, beside the English (``seed_wordings.install_wordings``)."""

from django.db import migrations


def install(apps, schema_editor):
    from screening.questionnaire.seed_wordings import install_wordings

    models = {name: apps.get_model("questionnaire", name)
              for name in ("Step", "Question", "Rule", "StepWording", "QuestionWording", "RuleWording")}
    install_wordings(**models)


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0009_wordings")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
