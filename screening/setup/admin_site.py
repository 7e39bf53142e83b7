"""The stock Django admin, for superusers only (issue 17).

Accounts, roles, the audit trail, two-factor devices, lockouts, access links and
the raw intake and booking lists stay here for the few who run the system; the
clinic's own set-up has its pages on the staff side (/staff/setup/, /staff/rules/,
/staff/questions/). ``StaffAccessMiddleware`` already sends anyone else away
before an admin view runs; this is the admin's own check, so a custom admin view
cannot forget it.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Clinic Screening: system administration"
    site_title = "System administration"
    index_title = "Accounts, roles, audit and security"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the site above as ``admin.site``."""

    default_site = "screening.setup.admin_site.SuperuserAdminSite"
