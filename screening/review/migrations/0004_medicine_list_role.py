"""Clinic admins manage the medicine and allergen list of issue 18 (``questionnaire.MedicineTerm``).

Adds to the group of 0002 what ``screening.review.permissions.ROLE_PERMISSIONS``
now grants clinic admins; a test keeps 0002's roles plus ``ADDED`` equal to it.
Frozen, as 0002 is.
"""

from django.db import migrations

ADDED = {
    "Clinic admin": [
        "questionnaire.add_medicineterm",
        "questionnaire.change_medicineterm",
        "questionnaire.delete_medicineterm",
        "questionnaire.view_medicineterm",
    ],
}


def add_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    app_config = apps.get_app_config("questionnaire")
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
            content_type__app_label="questionnaire", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("review", "0003_message_permissions"), ("questionnaire", "0004_round_two_fields")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
