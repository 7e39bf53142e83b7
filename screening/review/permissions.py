"""Who may do what on the staff side, in one place.

Roles are groups made by migration review/0002_staff_roles: front desk (see the
queue and bookings), clinician (+ decide), clinic admin (+ the set-up pages under
/staff/setup/, /staff/rules/ and /staff/questions/: rules, questions, treatments,
calendars, medicine terms, integration keys, erasing a patient). The stock Django
admin (/admin/: accounts, roles, audit, security) is for superusers only (issue 17).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required, permission_required

FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"
CLINIC_ADMIN = "Clinic admin"
ROLES = (FRONT_DESK, CLINICIAN, CLINIC_ADMIN)

VIEW_INTAKES = "intake.view_intake"
VIEW_BOOKINGS = "booking.view_booking"
DECIDE = "review.decide_intake"
RESCREEN = "review.rescreen_intake"
REVOKE_LINKS = "intake.revoke_accesslink"
RESEND_MESSAGES = "outbox.resend_message"
CHANGE_CLINIC = "core.change_clinicsettings"
MERGE_PATIENTS = "patients.merge_patient"
MARK_SESSIONS = "booking.mark_session"
BOOK_FOR_PATIENT = "booking.book_for_patient"
CORRECT_EMAIL = "intake.correct_email"

# The marker for the few staff-side views anyone may open (sign-in, password
# reset). Everything else under /staff/ and /admin/ needs a signed-in user:
# see middleware.StaffAccessMiddleware.
public = login_not_required


def before_second_factor(view):
    """Mark a staff view that a signed-in user may open before their second factor.

    Only the pages that complete sign-in (verify a code, enrol a device) and
    sign-out: every other /staff/ and /admin/ page waits for the code.
    """
    view.before_second_factor = True
    return view


def requires(perm: str):
    """A signed-in user without ``perm`` gets 403, not a login loop."""
    return permission_required(perm, raise_exception=True)


def can_decide(user) -> bool:
    return bool(user and user.is_active and user.has_perm(DECIDE))


def can_use_admin(user) -> bool:
    """The stock Django admin: superusers only (clinic admins have the set-up pages instead)."""
    return bool(user and user.is_active and user.is_staff and user.is_superuser)


def can_set_up_clinic(user) -> bool:
    """Clinic admins (who may change the clinic's settings): the set-up pages."""
    return bool(user and user.is_active and user.has_perm(CHANGE_CLINIC))


def needs_second_factor(user) -> bool:
    """Every staff account signs in with a code: front desk read every intake too.

    ``STAFF_REQUIRE_2FA=false`` (local demos only; a deploy check warns) turns codes off for everyone.
    """
    return bool(user and user.is_active and (user.is_staff or user.has_perm(VIEW_INTAKES)))


# What each role may do, as "app_label.codename". The migrations
# review/0002_staff_roles, 0003, 0004 and 0005 (and fhir/0002) hold frozen copies; a test keeps
# them equal.
_FRONT_DESK_PERMS = [
    "intake.view_intake", "intake.view_screening", "intake.view_flag", "intake.view_patientquestion",
    "intake.revoke_accesslink", "booking.view_booking", "booking.view_practitioner", "core.view_treatment",
    "review.view_intakedecision",
]
_CLINICIAN_PERMS = _FRONT_DESK_PERMS + ["review.decide_intake", "review.rescreen_intake"]
# 0002 also gave clinic admins "core.access_admin"; review/0007_admin_for_superusers took it away (issue 17: the
# stock admin is for superusers, clinic admins have the set-up pages).
_CLINIC_ADMIN_PERMS = _CLINICIAN_PERMS + [
    "audit.view_auditevent", "intake.view_accesslink",
    "core.view_clinicsettings", "core.change_clinicsettings",
    "questionnaire.publish_ruledraft", "questionnaire.add_ruledraft", "questionnaire.change_ruledraft",
    "questionnaire.view_ruledraft", "questionnaire.view_rulerevision", "questionnaire.view_questionnaireversion",
] + [
    f"{app}.{action}_{model}"
    for app, model in (
        ("questionnaire", "rule"), ("questionnaire", "question"), ("questionnaire", "step"), ("core", "treatment"),
        ("questionnaire", "medicineterm"),
        ("booking", "practitioner"), ("booking", "weeklyhours"), ("booking", "scheduleexception"),
    )
    for action in ("add", "change", "delete", "view")
    if f"{app}.{action}_{model}" != "core.view_treatment"
]
# Added by migration review/0003_message_permissions: every role sees the messages and may resend one.
_MESSAGE_PERMS = ["outbox.view_message", "outbox.resend_message"]
# Added by migration fhir/0002_clinic_admin_permissions: clinic admins make and revoke integration keys
# (named here as strings only: the fhir app sits above this one).
_INTEGRATION_KEY_PERMS = ["fhir.add_integrationtoken", "fhir.change_integrationtoken", "fhir.view_integrationtoken"]
# Added by migration review/0005_course_roles: everyone marks a session done or missed (the front desk sees
# who came); merging two patients' histories is a clinical read, for clinicians and clinic admins.
_COURSE_PERMS = [MARK_SESSIONS]
_MERGE_PERMS = [MERGE_PATIENTS]
# Added by migration review/0005_book_for_patient_role: every role books, moves and cancels for a patient,
# and corrects their email.
_BOOKING_PERMS = [BOOK_FOR_PATIENT, CORRECT_EMAIL]
# Added by migration questionnaire/0010_spanish_defaults: clinic admins edit the questionnaire's other languages.
_WORDING_PERMS = [f"questionnaire.{action}_{model}" for model in ("stepwording", "questionwording", "rulewording")
                  for action in ("add", "change", "delete", "view")]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    FRONT_DESK: _FRONT_DESK_PERMS + _MESSAGE_PERMS + _COURSE_PERMS + _BOOKING_PERMS,
    CLINICIAN: _CLINICIAN_PERMS + _MESSAGE_PERMS + _COURSE_PERMS + _MERGE_PERMS + _BOOKING_PERMS,
    CLINIC_ADMIN: (_CLINIC_ADMIN_PERMS + _MESSAGE_PERMS + _COURSE_PERMS + _MERGE_PERMS + _BOOKING_PERMS
                   + _INTEGRATION_KEY_PERMS + _WORDING_PERMS),
}


def can_erase_patients(user) -> bool:
    """Clinic admins (who may change the clinic's settings) signed in with their second factor, and only they."""
    return bool(can_set_up_clinic(user) and user.is_staff and getattr(user, "is_verified", lambda: False)())


def can_rescreen(user) -> bool:
    return bool(user and user.is_active and user.has_perm(RESCREEN))


def can_resend_messages(user) -> bool:
    return bool(user and user.is_active and user.has_perm(RESEND_MESSAGES))


def can_mark_sessions(user) -> bool:
    return bool(user and user.is_active and user.has_perm(MARK_SESSIONS))


def can_merge_patients(user) -> bool:
    return bool(user and user.is_active and user.has_perm(MERGE_PATIENTS))


def can_book_for_patient(user) -> bool:
    return bool(user and user.is_active and user.has_perm(BOOK_FOR_PATIENT))


def can_revoke_links(user) -> bool:
    return bool(user and user.is_active and user.has_perm(REVOKE_LINKS))


def roles_install() -> None:
    """Make the role groups with their permissions, adding what is missing; idempotent.

    The migration does this on a fresh install; tests that flush the
    database (transactional ones) call it to put the roles back.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = Q(pk__in=[])
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
