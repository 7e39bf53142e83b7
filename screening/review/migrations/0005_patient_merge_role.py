"""Clinicians and clinic admins may merge two patient records (issue 14); front desk may not.

Merging joins two people's clinical histories, so it is for those who read
them clinically. Frozen like 0002: the roles' lists in code are 0002's plus
the ADDED of the later migrations (a test keeps them equal).
"""

from django.db import migrations

ADDED = {
    "Clinician": ["patients.merge_patient"],
    "Clinic admin": ["patients.merge_patient"],
}


def add_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    app_config = apps.get_app_config("patients")
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
        codenames = [perm.split(".")[1] for perm in perms]
        group.permissions.add(*Permission.objects.using(db).filter(
            content_type__app_label="patients", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("review", "0004_medicine_list_role"), ("patients", "0001_patient")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
