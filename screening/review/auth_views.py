"""Sign-in, sign-out and password reset for staff: Django's views, our templates.

Django marks these views ``login_not_required``, which is the public marker
StaffAccessMiddleware reads. Successes and failures of sign-in are audited
by signal receivers (audit.py); a completed password reset is audited here.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.core.client_ip import client_ip


class StaffLoginView(auth_views.LoginView):
    template_name = "review/registration/login.html"
    redirect_authenticated_user = True


class StaffLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("staff:login")


class StaffPasswordResetView(auth_views.PasswordResetView):
    template_name = "review/registration/password_reset_form.html"
    email_template_name = "review/registration/password_reset_email.txt"
    subject_template_name = "review/registration/password_reset_subject.txt"
    success_url = reverse_lazy("staff:password_reset_done")


class StaffPasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "review/registration/password_reset_done.html"


class StaffPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "review/registration/password_reset_confirm.html"
    success_url = reverse_lazy("staff:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(action=AuditAction.PASSWORD_RESET,
                  actor=Actor.staff(form.user, ip=client_ip(self.request)), target=form.user)
        return response


class StaffPasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "review/registration/password_reset_complete.html"
