"""Every patient record gets the random id other systems know it by (the FHIR Patient's id).

Three steps, as a unique column with a random default must be added: the
column without the constraint, a fresh id per existing record, then unique.
"""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    db = schema_editor.connection.alias
    for pk in Patient.objects.using(db).filter(public_id__isnull=True).values_list("pk", flat=True).iterator():
        Patient.objects.using(db).filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [("patients", "0002_patients_for_existing_intakes")]

    operations = [
        migrations.AddField(model_name="patient", name="public_id", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="patient", name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
