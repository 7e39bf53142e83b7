"""Issue 14's roles: every role marks a session done or missed; clinicians and clinic admins merge patients.

The front desk sees who came, so marks it; merging joins two people's
clinical histories, so it is for those who read them clinically. Frozen like 0002: the roles' lists in code are 0002's plus
the ADDED of the later migrations (a test keeps them equal).
"""

from django.db import migrations

ADDED = {
    "Front desk": ["booking.mark_session"],
    "Clinician": ["booking.mark_session", "patients.merge_patient"],
    "Clinic admin": ["booking.mark_session", "patients.merge_patient"],
}


def add_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    for label in ("booking", "patients"):
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
            group.permissions.add(Permission.objects.using(db).get(content_type__app_label=app_label,
                                                                   codename=codename))


class Migration(migrations.Migration):
    dependencies = [("review", "0004_medicine_list_role"), ("patients", "0001_patient"),
                    ("booking", "0004_session_completed_no_show")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
