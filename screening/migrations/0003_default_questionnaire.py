"""Seed the default questionnaire, rule set and treatments of INTAKE.md."""

from django.db import migrations


def forwards(apps, schema_editor):
    from screening.seed import install_defaults

    install_defaults(
        Step=apps.get_model("screening", "Step"),
        Question=apps.get_model("screening", "Question"),
        Rule=apps.get_model("screening", "Rule"),
        Treatment=apps.get_model("screening", "Treatment"),
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0002_booking_no_overlap")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
