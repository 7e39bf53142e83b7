"""Staff roles as groups with permissions.

Groups are matched by name (get_or_create), so ``seed_demo`` and a clinic's
own changes keep working; permissions are only ever added here. The lists
are frozen copies, on purpose: a migration must not follow later code (a
test keeps them equal to ``screening.review.permissions.ROLE_PERMISSIONS``).
"""

from django.db import migrations

APPS = ("core", "audit", "questionnaire", "intake", "booking", "review")
ROLES = {
    'Front desk': [
        'intake.view_intake',
        'intake.view_screening',
        'intake.view_flag',
        'intake.view_patientquestion',
        'intake.revoke_accesslink',
        'booking.view_booking',
        'booking.view_practitioner',
        'core.view_treatment',
        'review.view_intakedecision',
    ],
    'Clinician': [
        'intake.view_intake',
        'intake.view_screening',
        'intake.view_flag',
        'intake.view_patientquestion',
        'intake.revoke_accesslink',
        'booking.view_booking',
        'booking.view_practitioner',
        'core.view_treatment',
        'review.view_intakedecision',
        'review.decide_intake',
        'review.rescreen_intake',
    ],
    'Clinic admin': [
        'intake.view_intake',
        'intake.view_screening',
        'intake.view_flag',
        'intake.view_patientquestion',
        'intake.revoke_accesslink',
        'booking.view_booking',
        'booking.view_practitioner',
        'core.view_treatment',
        'review.view_intakedecision',
        'review.decide_intake',
        'review.rescreen_intake',
        'core.access_admin',
        'audit.view_auditevent',
        'intake.view_accesslink',
        'core.view_clinicsettings',
        'core.change_clinicsettings',
        'questionnaire.publish_ruledraft',
        'questionnaire.add_ruledraft',
        'questionnaire.change_ruledraft',
        'questionnaire.view_ruledraft',
        'questionnaire.view_rulerevision',
        'questionnaire.view_questionnaireversion',
        'questionnaire.add_rule',
        'questionnaire.change_rule',
        'questionnaire.delete_rule',
        'questionnaire.view_rule',
        'questionnaire.add_question',
        'questionnaire.change_question',
        'questionnaire.delete_question',
        'questionnaire.view_question',
        'questionnaire.add_step',
        'questionnaire.change_step',
        'questionnaire.delete_step',
        'questionnaire.view_step',
        'core.add_treatment',
        'core.change_treatment',
        'core.delete_treatment',
        'booking.add_practitioner',
        'booking.change_practitioner',
        'booking.delete_practitioner',
        'booking.view_practitioner',
        'booking.add_weeklyhours',
        'booking.change_weeklyhours',
        'booking.delete_weeklyhours',
        'booking.view_weeklyhours',
        'booking.add_scheduleexception',
        'booking.change_scheduleexception',
        'booking.delete_scheduleexception',
        'booking.view_scheduleexception',
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    db = schema_editor.connection.alias
    # Permissions are normally made after all migrations; make them now.
    for label in APPS:
        app_config = apps.get_app_config(label)
        previous = getattr(app_config, "models_module", None)
        app_config.models_module = previous or True  # historical app configs have none
        try:
            create_permissions(app_config, apps=apps, verbosity=0, using=db)
        finally:
            app_config.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.using(db).get_or_create(name=name)
        found = []
        for perm in perms:
            app_label, codename = perm.split(".")
            permission = Permission.objects.using(db).filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                raise RuntimeError(f"Permission missing for {name}: {perm}")
            found.append(permission)
        group.permissions.add(*found)


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("core", "0001_initial"),
        ("audit", "0001_initial"),
        ("questionnaire", "0001_initial"),
        ("intake", "0001_initial"),
        ("booking", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
