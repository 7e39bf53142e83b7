"""Staff revoke a patient's links: Intake.access_revoked_at, the revoke_accesslink permission for every role,
and the audit trail's labels for re-screening and revocation."""

from django.db import migrations, models

# Frozen copy, on purpose: a migration must not follow later code
# (screening.staff.permissions.LINKS_ROLE_PERMISSIONS; a test keeps them equal).
ROLE_PERMISSIONS = {
    "Front desk": ["revoke_accesslink"],
    "Clinician": ["revoke_accesslink"],
    "Clinic admin": ["revoke_accesslink"],
}


def grant_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("screening")
    previous = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=db)
    finally:
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.using(db).filter(content_type__app_label="screening", codename__in=codenames)
        )


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("screening", "0010_perf_indexes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="accesslink",
            options={"permissions": [("revoke_accesslink", "Can revoke a patient's links")]},
        ),
        migrations.AddField(
            model_name="intake",
            name="access_revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Signed in"), ("login_failed", "Sign-in failed"), ("logout", "Signed out"),
                    ("password_reset", "Password reset requested"), ("intake_viewed", "Viewed an intake"),
                    ("intake_cleared", "Cleared an intake"), ("intake_declined", "Declined an intake"),
                    ("intake_asked", "Asked the patient a question"),
                    ("intake_rescreened", "Re-screened against the current rules"),
                    ("links_revoked", "Revoked the patient's links"),
                    ("answers_updated", "Patient updated answers"), ("booking_created", "Booking made"),
                    ("booking_changed", "Booking changed"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
