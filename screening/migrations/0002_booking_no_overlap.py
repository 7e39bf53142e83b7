"""On PostgreSQL, forbid overlapping active bookings of one practitioner.

An exclusion constraint over (practitioner, [start, end)) for held and
confirmed bookings. SQLite has no equivalent; there the partial unique
constraint booking_unique_active_start is the backstop and the booking
service's lock does the rest.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE screening_booking ADD CONSTRAINT booking_no_overlap
    EXCLUDE USING gist (practitioner_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN ('held', 'confirmed'));
"""
DROP = "ALTER TABLE screening_booking DROP CONSTRAINT IF EXISTS booking_no_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
