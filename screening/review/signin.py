"""Sign-in, sign-out and failed sign-ins in the audit trail.

Django's own authentication views sign staff in and out; these receivers of
its signals are how those actions reach the trail.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.core.client_ip import client_ip
from screening.review.signin_guard import signin_alert_if_needed


@receiver(user_logged_in, dispatch_uid="staff-audit-login")
def _on_login(sender, request, user, **kwargs) -> None:
    audit_log(action=AuditAction.LOGIN, actor=Actor.staff(user, ip=_ip(request)), target=user)


@receiver(user_login_failed, dispatch_uid="staff-audit-login-failed")
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The name typed is kept (it says which account was tried); the
    # password never reaches this signal in clear.
    tried = str(credentials.get("username", ""))[:150]
    audit_log(action=AuditAction.LOGIN_FAILED, actor=Actor(label=tried, ip=_ip(request)))
    signin_alert_if_needed(username=tried)


@receiver(user_logged_out, dispatch_uid="staff-audit-logout")
def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, actor=Actor.staff(user, ip=_ip(request)), target=user)


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None
