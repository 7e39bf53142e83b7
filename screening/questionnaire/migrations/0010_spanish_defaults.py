"""The default questionnaire's Spanish (issue 16): every step, question, answer label and rule message of the
defaults that this installation still has, beside the English (``seed_wordings.install_wordings``); and the
clinic admins' right to edit them. Frozen like review/0002: the roles' lists in code are 0002's plus the
ADDED of the later migrations (a test keeps them equal). Here, not in review, so that migrating the
questionnaire back past 0009 never needs the staff app's migrations undone."""

from django.db import migrations

ADDED = {
    "Clinic admin": [f"questionnaire.{action}_{model}"
                     for model in ("stepwording", "questionwording", "rulewording")
                     for action in ("add", "change", "delete", "view")],
}


def install(apps, schema_editor):
    from screening.questionnaire.seed_wordings import install_wordings

    models = {name: apps.get_model("questionnaire", name)
              for name in ("Step", "Question", "Rule", "StepWording", "QuestionWording", "RuleWording")}
    install_wordings(**models)


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
    dependencies = [("questionnaire", "0009_wordings"), ("auth", "0012_alter_user_first_name_max_length"),
                    ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop),
                  migrations.RunPython(add_permissions, migrations.RunPython.noop)]
