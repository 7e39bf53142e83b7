"""Every staff role may book, move and cancel for a patient, and correct their email (issue 19: the front desk).

Adds to the groups of 0002 what ``screening.review.permissions.ROLE_PERMISSIONS``
now grants; a test keeps 0002's roles plus every ``ADDED`` equal to it.
Frozen, as 0002 is.
"""

from django.db import migrations

ADDED = {
    "Front desk": ["booking.book_for_patient", "intake.correct_email"],
    "Clinician": ["booking.book_for_patient", "intake.correct_email"],
    "Clinic admin": ["booking.book_for_patient", "intake.correct_email"],
}


def add_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    for label in ("booking", "intake"):
        app_config = apps.get_app_config(label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True  # historical app configs have none
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=db)
        finally:
            app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ADDED.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(*Permission.objects.using(db).filter(
                content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [("review", "0004_medicine_list_role"), ("booking", "0004_book_for_patient_permission"),
                    ("intake", "0007_correct_email_permission")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
