"""The audit trail: one appended line per staff read, decision, booking change and sign-in.

Callers say who acted with an ``Actor``. Code that has no request at hand
(a booking saved deep inside a service) falls back to the actor of the
request being served, which ``AuditContextMiddleware`` keeps in a
context variable, or "system" outside any request.

Nothing clinical is ever written here: actions, record ids, an address.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from screening import access
from screening.client_ip import client_ip  # also AXES_CLIENT_IP_CALLABLE, by this name
from screening.models import Booking
from screening.models.staff import AuditAction, AuditEvent

PATIENT = "patient"
ANONYMOUS = "anonymous"
SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    """Who did something, and from which address."""

    user: AbstractBaseUser | None = None  # None for patients, strangers and the system
    label: str = SYSTEM
    ip: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> Actor:
        user = getattr(request, "user", None)
        ip = client_ip(request)
        if user is not None and user.is_authenticated:
            return cls(user=user, label=user.get_username(), ip=ip)
        session = getattr(request, "session", None)
        is_patient = session is not None and bool(session.get(access.SESSION_KEY))
        return cls(user=None, label=PATIENT if is_patient else ANONYMOUS, ip=ip)

    @classmethod
    def staff(cls, user: AbstractBaseUser, *, ip: str | None = None) -> Actor:
        return cls(user=user, label=user.get_username(), ip=ip)


# The request being served, read only when an audit line needs its actor
# (by then a sign-in on that request has taken effect).
_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


@contextmanager
def request_context(request: HttpRequest) -> Iterator[None]:
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def current_actor() -> Actor:
    request = _current_request.get()
    return Actor.from_request(request) if request is not None else Actor()




def audit_log(
    *,
    action: str,
    actor: Actor | None = None,
    target: models.Model | None = None,
    intake_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one audit line; inside the caller's transaction, so it stands or falls with it."""
    actor = actor or current_actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(actor.label or "")[:150],
        action=action,
        object_type=target._meta.model_name if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        intake_id=intake_id,
        ip=actor.ip,
        detail=detail[:200],
    )


# --- sign-in, sign-out -------------------------------------------------------------


@receiver(user_logged_in, dispatch_uid="staff-audit-login")
def _on_login(sender, request, user, **kwargs) -> None:
    audit_log(action=AuditAction.LOGIN, actor=Actor.staff(user, ip=_ip(request)), target=user)


@receiver(user_login_failed, dispatch_uid="staff-audit-login-failed")
def _on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The name typed is kept (it says which account was tried); the
    # password never reaches this signal in clear.
    tried = str(credentials.get("username", ""))[:150]
    audit_log(action=AuditAction.LOGIN_FAILED, actor=Actor(label=tried, ip=_ip(request)))


@receiver(user_logged_out, dispatch_uid="staff-audit-logout")
def _on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, actor=Actor.staff(user, ip=_ip(request)), target=user)


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else None


# --- booking changes ---------------------------------------------------------------


@receiver(post_save, sender=Booking, dispatch_uid="staff-audit-booking")
def _on_booking_saved(sender, instance: Booking, created: bool, update_fields=None, **kwargs) -> None:
    """Every booking write, whichever module made it, lands in the trail.

    A signal, not a call in the booking services, because those belong to
    another module; bulk ``update()`` calls bypass it (the booking move
    retires the old row that way, and its new row is recorded here).
    """
    if created:
        action, detail = AuditAction.BOOKING_CREATED, f"status: {instance.status}"
    else:
        action = AuditAction.BOOKING_CHANGED
        detail = f"status: {instance.status}" if not update_fields or "status" in update_fields else "details"
    audit_log(action=action, target=instance, intake_id=instance.intake_id, detail=detail)
