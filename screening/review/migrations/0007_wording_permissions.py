"""Issue 16: clinic admins edit the questionnaire's Spanish beside the English (the wording rows of steps,
questions and rules). Frozen like 0002: the roles' lists in code are 0002's plus the ADDED of the later
migrations (a test keeps them equal)."""

from django.db import migrations

ADDED = {
    "Clinic admin": [f"questionnaire.{action}_{model}"
                     for model in ("stepwording", "questionwording", "rulewording")
                     for action in ("add", "change", "delete", "view")],
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
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.using(db).get(content_type__app_label=app_label,
                                                                   codename=codename))


class Migration(migrations.Migration):
    dependencies = [("review", "0006_merge_round_two"), ("questionnaire", "0010_spanish_defaults")]
    operations = [migrations.RunPython(add_permissions, migrations.RunPython.noop)]
