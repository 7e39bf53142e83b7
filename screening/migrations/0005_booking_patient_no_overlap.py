"""On PostgreSQL, forbid one patient two overlapping active bookings.

A patient is known by the (lower-cased) email copied onto the booking; a
patient with two intakes (face and scalp, say) cannot hold both at once.
Bookings without an email are left out. SQLite has no equivalent: there the
booking service's check under its lock on the patient's intakes is all.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE screening_booking ADD CONSTRAINT booking_patient_no_overlap
    EXCLUDE USING gist (patient_email WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN ('held', 'confirmed') AND patient_email <> '');
"""
DROP = "ALTER TABLE screening_booking DROP CONSTRAINT IF EXISTS booking_patient_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("screening", "0004_booking_clinic_settings_patient")]
    operations = [migrations.RunPython(forwards, backwards)]
