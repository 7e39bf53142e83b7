"""Login required by default on the staff side, and the audit context.

A view under /staff/ or /admin/ refuses anonymous visitors unless it is
marked public (``permissions.public``, Django's ``login_not_required``), so
a new staff view cannot forget to ask. /admin/ additionally needs the
clinic admin's permission: front desk and clinicians get 403 there.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied

from screening.staff.audit import request_context
from screening.staff.permissions import can_use_admin

PROTECTED_PREFIXES = ("/staff/", "/admin/")
ADMIN_PREFIX = "/admin/"


class StaffAccessMiddleware(LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if not path.startswith(PROTECTED_PREFIXES):
            return None
        user = request.user
        if user.is_authenticated:
            if path.startswith(ADMIN_PREFIX) and not can_use_admin(user):
                raise PermissionDenied("The clinic admin is for clinic admins.")
            return None
        if not getattr(view_func, "login_required", True):
            return None  # marked public
        return self.handle_no_permission(request, view_func)

    def get_login_url(self, view_func) -> str:
        # One sign-in page for all staff, the admin's pages included (they
        # would otherwise name the admin's own login page).
        return str(settings.LOGIN_URL)


class AuditContextMiddleware:
    """Remember who is acting for audit lines written without a request at hand."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_context(request):
            return self.get_response(request)
