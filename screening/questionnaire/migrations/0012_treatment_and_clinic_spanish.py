"""The default treatments' and the clinic's default texts' Spanish (issue 16), beside the English they translate
(``seed_wordings.install_clinic_wordings``): here, where the default treatments are installed (0002), so a fresh
install has them; a treatment renamed or a text rewritten by the clinic gets none."""

from django.db import migrations


def install(apps, schema_editor):
    from screening.questionnaire.seed_wordings import install_clinic_wordings

    install_clinic_wordings(**{name: apps.get_model("core", name)
                               for name in ("Treatment", "TreatmentWording", "ClinicSettings", "ClinicWording")})


class Migration(migrations.Migration):
    dependencies = [("questionnaire", "0011_question_changes"), ("core", "0009_treatment_and_clinic_wordings")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
