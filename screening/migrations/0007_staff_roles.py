"""Staff roles as groups with permissions, and the audit trail's database guard.

Groups are matched by name (get_or_create), so ``seed_demo`` and a clinic's
own changes keep working; permissions are only ever added here. The lists
are frozen copies, on purpose: a migration must not follow later code.
"""

from django.db import migrations

FRONT_DESK = [
    "view_intake", "view_screening", "view_flag", "view_booking", "view_practitioner",
    "view_treatment", "view_intakedecision", "view_patientquestion",
]
CLINICIAN = FRONT_DESK + ["decide_intake"]
CLINIC_ADMIN = CLINICIAN + [
    "access_admin", "view_auditevent", "view_accesslink",
    "view_clinicsettings", "change_clinicsettings",
] + [
    f"{action}_{model}"
    for model in ("rule", "question", "step", "treatment", "practitioner", "weeklyhours", "scheduleexception")
    for action in ("add", "change", "delete", "view")
]
ROLES = {"Front desk": FRONT_DESK, "Clinician": CLINICIAN, "Clinic admin": CLINIC_ADMIN}

# On PostgreSQL the audit trail refuses UPDATE and DELETE whoever asks.
# TRUNCATE (a test database being flushed) is not a row operation and passes.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION screening_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'screening_auditevent is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON screening_auditevent
    FOR EACH ROW EXECUTE FUNCTION screening_auditevent_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS auditevent_append_only ON screening_auditevent;
DROP FUNCTION IF EXISTS screening_auditevent_append_only();
"""


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("screening")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = previous or True  # historical app configs have none
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)
        perms = Permission.objects.using(schema_editor.connection.alias).filter(
            content_type__app_label="screening", codename__in=codenames
        )
        found = set(perms.values_list("codename", flat=True))
        missing = set(codenames) - found
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*perms)


def append_only_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


def drop_append_only_guard(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY)


class Migration(migrations.Migration):
    dependencies = [
        ("screening", "0006_staff"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(append_only_guard, drop_append_only_guard),
    ]
