"""The stock Django admin is for superusers (issue 17): clinic admins no longer hold ``core.access_admin``.

Their set-up (medicine terms, integration keys, erasing a patient, calendars, rules, questions) is on
the staff side. Takes from the groups of 0002 what ``screening.review.permissions.ROLE_PERMISSIONS``
no longer grants; a test keeps 0002's roles, plus every ``ADDED`` and minus every ``REMOVED``, equal
to it. Frozen, as 0002 is.
"""

from django.db import migrations

REMOVED = {"Clinic admin": ["core.access_admin"]}


def _change(apps, schema_editor, *, remove: bool) -> None:
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in REMOVED.items():
        group = Group.objects.using(db).filter(name=name).first()
        if group is None:
            continue
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.using(db).filter(content_type__app_label=app_label, codename=codename)
            (group.permissions.remove if remove else group.permissions.add)(*found)


def take_away(apps, schema_editor):
    _change(apps, schema_editor, remove=True)


def give_back(apps, schema_editor):
    _change(apps, schema_editor, remove=False)


class Migration(migrations.Migration):
    dependencies = [("review", "0006_merge_round_two"), ("core", "0001_initial")]
    operations = [migrations.RunPython(take_away, give_back)]
