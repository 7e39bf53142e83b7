"""A stable calendar UID and a SEQUENCE per appointment, and a mobile number for text reminders.

Existing bookings each get their own UID, except that a booking moved to
another takes the UID of the one it replaced (a move is the same
appointment to the patient's calendar).
"""

import uuid

from django.db import migrations, models


def fill_calendar_uids(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    uid_of = {}
    for booking in Booking.objects.order_by("created_at", "pk").only("pk", "moved_to_id"):
        uid = uid_of.get(booking.pk) or uuid.uuid4()
        Booking.objects.filter(pk=booking.pk).update(calendar_uid=uid)
        if booking.moved_to_id:
            uid_of[booking.moved_to_id] = uid


class Migration(migrations.Migration):

    dependencies = [("booking", "0002_no_overlap")]

    operations = [
        migrations.AddField(model_name="booking", name="calendar_uid", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(fill_calendar_uids, migrations.RunPython.noop),
        migrations.AlterField(model_name="booking", name="calendar_uid",
                              field=models.UUIDField(default=uuid.uuid4, editable=False)),
        migrations.AddField(model_name="booking", name="sequence", field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name="booking", name="sms_phone", field=models.CharField(blank=True, max_length=20)),
    ]
