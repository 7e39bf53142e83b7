"""Clinic admins make, see and revoke integration keys (``fhir.IntegrationToken``).

Adds to the clinic admin group of review/0002_staff_roles what
``screening.review.permissions.ROLE_PERMISSIONS`` now grants them; a test
keeps review's roles plus every ``ADDED`` equal to it. Frozen, as 0002 is.
(Delete is not granted: a key is revoked, and stays for the record.)
"""

from django.db import migrations

ADDED = {
    "Clinic admin": ["fhir.add_integrationtoken", "fhir.change_integrationtoken", "fhir.view_integrationtoken"],
}


def add_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    app_config = apps.get_app_config("fhir")
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
            content_type__app_label="fhir", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("fhir", "0001_initial"), ("review", "0004_medicine_list_role")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
