"""Login required by default on the staff side, and staff session limits.

A view under /staff/ or /admin/ refuses anonymous visitors unless it is
marked public (``permissions.public``, Django's ``login_not_required``), so
a new staff view cannot forget to ask. A signed-in clinician or clinic
admin must also have passed the second factor in this session (only the
views marked ``permissions.before_second_factor`` are open before it).
/admin/ is for superusers only (issue 17): a clinic admin is sent to the
set-up pages with a word of why, front desk and clinicians get 403 there.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.shortcuts import redirect

from screening.review.permissions import can_set_up_clinic, can_use_admin
from screening.review.two_factor import second_factor_redirect

PROTECTED_PREFIXES = ("/staff/", "/admin/")
ADMIN_PREFIX = "/admin/"


class StaffAccessMiddleware(LoginRequiredMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if not path.startswith(PROTECTED_PREFIXES):
            return None
        user = request.user
        if user.is_authenticated:
            if getattr(view_func, "login_required", True) and not getattr(view_func, "before_second_factor", False):
                to_second_factor = second_factor_redirect(request)
                if to_second_factor is not None:
                    return to_second_factor
            if path.startswith(ADMIN_PREFIX) and not can_use_admin(user):
                return _admin_refused(request, user)
            return None
        if not getattr(view_func, "login_required", True):
            return None  # marked public
        return self.handle_no_permission(request, view_func)

    def get_login_url(self, view_func) -> str:
        # One sign-in page for all staff, the admin's pages included (they
        # would otherwise name the admin's own login page).
        return str(settings.LOGIN_URL)


def _admin_refused(request, user):
    """A clinic admin who followed an old bookmark finds the set-up pages; anyone else a plain 403."""
    if can_set_up_clinic(user):
        messages.info(request, "The Django admin is for system administrators. The clinic's set-up is here.")
        return redirect("setup:home")
    raise PermissionDenied("The Django admin is for system administrators (superusers).")


# --- staff session limits ------------------------------------------------------------

SESSION_STARTED = "staff_session_started"  # when the password was accepted (Unix time)
SESSION_SEEN = "staff_session_seen"  # the last request, to within SEEN_RESOLUTION
SEEN_RESOLUTION = 60  # seconds: write the session at most once a minute for this
clock = time.time  # tests move it


class StaffSessionTimeoutMiddleware:
    """End a signed-in session after STAFF_IDLE_MINUTES without a request or STAFF_SESSION_HOURS in all.

    Only signed-in (staff) sessions carry these clocks. A patient's session
    holds no account, only access to their own intake, and has its own idle
    limit (PATIENT_IDLE_MINUTES, screening.intake.middleware): every answer
    is saved as it is given, so an emailed link resumes after it ends.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read the session before the user: no user query for patients and strangers.
        if request.session.get(AUTH_SESSION_KEY) is not None and request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> None:
        now = clock()
        session = request.session
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:  # signed in before these clocks existed
            session[SESSION_STARTED] = session[SESSION_SEEN] = now
            return
        if now - seen > settings.STAFF_IDLE_MINUTES * 60:
            reason = f"after {settings.STAFF_IDLE_MINUTES} minutes without activity"
        elif now - started > settings.STAFF_SESSION_HOURS * 3600:
            reason = f"{settings.STAFF_SESSION_HOURS} hours after signing in"
        else:
            if now - seen >= SEEN_RESOLUTION:
                session[SESSION_SEEN] = now
            return
        logout(request)  # flushes the session: its key no longer works
        messages.info(request, f"For safety you were signed out {reason}. Please sign in again.")


@receiver(user_logged_in, dispatch_uid="staff-session-clocks")
def _start_session_clocks(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = clock()
