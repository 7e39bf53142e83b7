"""Guessing at one staff account from many addresses: the account pauses, and the clinic admins hear of it.

django-axes pauses a username *from one address* (5 failures). An attacker
spreading guesses over many addresses stays under that, so this counts the
failed sign-ins at one username from **any** address, from the audit trail
(every failure is a line there already, with the name tried and the
address): ``STAFF_ACCOUNT_FAILURE_LIMIT`` failures within
``STAFF_ACCOUNT_WINDOW_MINUTES`` pause the account everywhere until the
window has no more than that (each refused try counts too, so a continuing
attack keeps it paused, and the owner can sign in once it stops). The pause
is higher than axes' limit, so the owner's typos never reach it.

When the failures at one existing account come from ``ALERT_ADDRESSES`` or
more addresses and reach ``ALERT_FAILURES``, the clinic admins get one email
through the outbox per window (never the passwords tried: the signal has none).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction, AuditEvent
from screening.outbox.models import MessageKind
from screening.outbox.services import message_queue
from screening.review.permissions import CLINIC_ADMIN

ALERT_ADDRESSES = 3
ALERT_FAILURES = 10


def _window() -> timedelta:
    return timedelta(minutes=settings.STAFF_ACCOUNT_WINDOW_MINUTES)


def recent_failures(username: str, *, now: datetime):
    return AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor_label=username[:150],
                                     at__gt=now - _window())


def account_paused(username: str, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return recent_failures(username, now=now).count() >= settings.STAFF_ACCOUNT_FAILURE_LIMIT


class AccountPauseBackend:
    """Refuses any sign-in, right password or not, at an account under attack from many addresses.

    It only refuses, never signs anyone in, and has no ``get_user``, so sessions
    (and the test client's ``force_login``) never name it as their backend.

    Listed after axes' backend and before Django's: PermissionDenied stops the
    sign-in (Django then reports a failed sign-in, which is audited and counted),
    and ``axes_locked_out`` makes axes' middleware show our "Sign-in paused" page.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username or not account_paused(str(username)):
            return None
        request.axes_locked_out = True
        request.axes_credentials = {"username": username}
        request.account_paused = True
        raise PermissionDenied


def signin_alert_if_needed(*, username: str, now: datetime | None = None) -> bool:
    """After a failed sign-in: email the clinic admins once per window if many addresses try one account."""
    now = now or timezone.now()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        return False
    failures = recent_failures(username, now=now)
    count = failures.count()
    addresses = failures.exclude(ip=None).values("ip").distinct().count()
    if count < ALERT_FAILURES or addresses < ALERT_ADDRESSES:
        return False
    with transaction.atomic():
        # Once per window: the alert line is the record that it went (locked by the user row).
        User.objects.select_for_update().filter(pk=user.pk).first()
        if AuditEvent.objects.filter(action=AuditAction.SIGNIN_ALERT, object_type="user", object_id=str(user.pk),
                                     at__gt=now - _window()).exists():
            return False
        body = render_to_string("review/emails/signin_alert.txt", {
            "username": username, "failures": count, "addresses": addresses,
            "minutes": settings.STAFF_ACCOUNT_WINDOW_MINUTES, "paused": count >= settings.STAFF_ACCOUNT_FAILURE_LIMIT,
        })
        for email in _admin_addresses():
            message_queue(kind=MessageKind.STAFF_SIGNIN_ALERT, recipient=email, body=body,
                          subject=f"Failed sign-ins at the staff account {username}")
        audit_log(action=AuditAction.SIGNIN_ALERT, actor=Actor(), target=user,
                  detail=f"{count} failures from {addresses} addresses")
    return True


def _admin_addresses() -> list[str]:
    admins = User.objects.filter(Q(groups__name=CLINIC_ADMIN) | Q(is_superuser=True), is_active=True).exclude(email="")
    return sorted({u.email for u in admins})
