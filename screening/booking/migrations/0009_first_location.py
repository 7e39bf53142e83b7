"""One location for an existing clinic: its address from the clinic's settings, every treatment, every practitioner.

Existing installs and the demo keep working unchanged: with one location the
patient is never asked which, and bookings name its address as before.
"""

from django.conf import settings
from django.db import migrations


def first_location(apps, schema_editor):
    Location = apps.get_model("core", "Location")
    ClinicSettings = apps.get_model("core", "ClinicSettings")
    Treatment = apps.get_model("core", "Treatment")
    Practitioner = apps.get_model("booking", "Practitioner")
    if Location.objects.exists():
        return
    profile = ClinicSettings.objects.filter(pk=1).first()
    location = Location.objects.create(
        name=settings.CLINIC_NAME[:100] or "The clinic",
        address=profile.address if profile else "",
        time_zone=profile.time_zone if profile else settings.CLINIC_TIME_ZONE,
    )
    location.treatments.add(*Treatment.objects.all())
    Practitioner.objects.filter(location__isnull=True).update(location=location)


class Migration(migrations.Migration):

    dependencies = [
        ("booking", "0008_practitioner_location"),
        ("core", "0008_locations_treatment_booking_rules"),
    ]

    operations = [migrations.RunPython(first_location, migrations.RunPython.noop)]
