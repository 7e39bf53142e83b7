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
USE_ADMIN = "screening.access_admin"

# The marker for the few staff-side views anyone may open (sign-in, password
# reset). Everything else under /staff/ and /admin/ needs a signed-in user:
# see middleware.StaffAccessMiddleware.
public = login_not_required


def requires(perm: str):
    """A signed-in user without ``perm`` gets 403, not a login loop."""
    return permission_required(perm, raise_exception=True)


def can_decide(user) -> bool:
    return bool(user and user.is_active and user.has_perm(DECIDE))


def can_use_admin(user) -> bool:
    return bool(user and user.is_active and user.is_staff and user.has_perm(USE_ADMIN))
