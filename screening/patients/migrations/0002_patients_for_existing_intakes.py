"""A patient record for every intake sent before there were patient records.

One record per intake: no address of an older intake was ever proven (links
did not keep where they were sent), and a match on a typed address could
join two people. Staff merge the records that are one person
(``screening.patients.services.patients_merge``). Drafts get theirs when sent.
"""

from datetime import date

from django.db import migrations


def fill(apps, schema_editor):
    db = schema_editor.connection.alias
    Intake = apps.get_model("intake", "Intake")
    Patient = apps.get_model("patients", "Patient")
    Question = apps.get_model("questionnaire", "Question")
    # The question of the date-of-birth kind (questionnaire 0003), or the default's code where kinds are not yet
    # there: this migration does not wait for them (other apps' migration tests step the questionnaire back).
    birth_codes = ["date_of_birth"]
    if "kind" in {f.name for f in Question._meta.get_fields()}:
        birth_codes = list(Question.objects.using(db).filter(kind="date_of_birth").values_list("code", flat=True))
    for intake in Intake.objects.using(db).filter(status="submitted", patient__isnull=True).iterator():
        patient = Patient.objects.using(db).create(
            first_name=intake.first_name, last_name=intake.last_name, email="",
            date_of_birth=_birth_date(intake.answers, birth_codes), created_at=intake.submitted_at,
        )
        Intake.objects.using(db).filter(pk=intake.pk).update(patient=patient)


def _birth_date(answers, codes):
    for code in codes:
        try:
            return date.fromisoformat(str((answers or {}).get(code)))
        except ValueError:
            continue
    return None


def unfill(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("intake", "Intake").objects.using(db).update(patient=None)
    apps.get_model("patients", "Patient").objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0001_patient"),
        ("intake", "0003_patient_verified_email_link_sent_to"),
    ]
    operations = [migrations.RunPython(fill, unfill)]
