"""Every staff role may see the messages sent to a patient and send one that did not go again.

Frozen like 0002: the roles' lists in code are 0002's plus these (a test keeps them equal).
"""

from django.db import migrations

ADDED = {
    "Front desk": ["outbox.view_message", "outbox.resend_message"],
    "Clinician": ["outbox.view_message", "outbox.resend_message"],
    "Clinic admin": ["outbox.view_message", "outbox.resend_message"],
}


def add_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    app_config = apps.get_app_config("outbox")
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
            permission = Permission.objects.using(db).get(content_type__app_label=app_label, codename=codename)
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("review", "0002_staff_roles"), ("outbox", "0001_initial")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
