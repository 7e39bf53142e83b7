"""Who may do what on the staff side, in one place.

Roles are groups made by migration 0007_staff_roles: front desk (see the
queue and bookings), clinician (+ decide), clinic admin (+ the Django admin:
rules, questions, treatments, calendar; the audit list).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required, permission_required

FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"
CLINIC_ADMIN = "Clinic admin"
ROLES = (FRONT_DESK, CLINICIAN, CLINIC_ADMIN)

VIEW_INTAKES = "screening.view_intake"
VIEW_BOOKINGS = "screening.view_booking"
DECIDE = "screening.decide_intake"
RESCREEN = "screening.rescreen_intake"
REVOKE_LINKS = "screening.revoke_accesslink"
USE_ADMIN = "screening.access_admin"

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
    return bool(user and user.is_active and user.is_staff and user.has_perm(USE_ADMIN))


def needs_second_factor(user) -> bool:
    """Clinicians and clinic admins (whoever may decide or use the admin) must sign in with a code.

    Front desk may enrol a device but need not; once they have one, it is asked for too.
    """
    return bool(user and user.is_active and (user.has_perm(DECIDE) or user.has_perm(USE_ADMIN)))


# What each role may do, as permission codenames of the screening app. The
# migration 0007_staff_roles holds a frozen copy; a test keeps them equal.
_FRONT_DESK_PERMS = [
    "view_intake", "view_screening", "view_flag", "view_booking", "view_practitioner",
    "view_treatment", "view_intakedecision", "view_patientquestion",
]
_CLINICIAN_PERMS = _FRONT_DESK_PERMS + ["decide_intake"]
_CLINIC_ADMIN_PERMS = _CLINICIAN_PERMS + [
    "access_admin", "view_auditevent", "view_accesslink", "view_clinicsettings", "change_clinicsettings",
] + [
    f"{action}_{model}"
    for model in ("rule", "question", "step", "treatment", "practitioner", "weeklyhours", "scheduleexception")
    for action in ("add", "change", "delete", "view")
]
ROLE_PERMISSIONS: dict[str, list[str]] = {
    FRONT_DESK: _FRONT_DESK_PERMS,
    CLINICIAN: _CLINICIAN_PERMS,
    CLINIC_ADMIN: _CLINIC_ADMIN_PERMS,
}
# Added with the rules admin (migration 0008_rules_admin holds a frozen copy).
RULES_ADMIN_ROLE_PERMISSIONS: dict[str, list[str]] = {
    CLINICIAN: ["rescreen_intake"],
    CLINIC_ADMIN: [
        "rescreen_intake", "publish_ruledraft", "add_ruledraft", "change_ruledraft", "view_ruledraft",
        "view_rulerevision", "view_questionnaireversion",
    ],
}

# Added with link revocation (migration 0011_link_revocation holds a frozen copy).
# Every role: a front desk asked by a patient whose mailbox is compromised must be able to act at once.
LINKS_ROLE_PERMISSIONS: dict[str, list[str]] = {
    FRONT_DESK: ["revoke_accesslink"],
    CLINICIAN: ["revoke_accesslink"],
    CLINIC_ADMIN: ["revoke_accesslink"],
}


def can_rescreen(user) -> bool:
    return bool(user and user.is_active and user.has_perm(RESCREEN))


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

    create_permissions(apps.get_app_config("screening"), verbosity=0)
    for name, codenames in ROLE_PERMISSIONS.items():
        codenames = codenames + RULES_ADMIN_ROLE_PERMISSIONS.get(name, []) + LINKS_ROLE_PERMISSIONS.get(name, [])
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="screening", codename__in=codenames)
        )
