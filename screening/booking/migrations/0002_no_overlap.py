"""On PostgreSQL, forbid overlapping active bookings: of one practitioner, and of one patient.

Exclusion constraints over [start, end) for held and confirmed bookings:
per practitioner, and per patient (the lower-cased email copied onto the
booking; bookings without one are left out). SQLite has no equivalent;
there the partial unique constraint booking_unique_active_start is the
backstop, and the booking service's locks do the rest.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (practitioner_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN ('held', 'confirmed'));
ALTER TABLE booking_booking ADD CONSTRAINT booking_patient_no_overlap
    EXCLUDE USING gist (patient_email WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN ('held', 'confirmed') AND patient_email <> '');
"""
DROP = """
ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;
ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS booking_patient_no_overlap;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
