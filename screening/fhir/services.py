"""Integration keys: made and revoked, checked on each API request; every read of the API audited.

A key travels as ``Authorization: Bearer <secret>``. The secret is random
(``secrets.token_urlsafe``), shown once and stored as its SHA-256, which is
enough for a high-entropy secret: there is nothing to guess from a hash.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from screening.audit.log import Actor, as_actor, audit_log
from screening.audit.models import AuditAction
from screening.fhir.models import IntegrationToken, TokenScope

SECRET_PREFIX = "cs_"  # so a leaked key is recognisable as ours (secret scanners, logs)


class TokenRefused(Exception):
    """Why a request's key opens nothing: HTTP status, FHIR issue code, and a message for the integrator."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@transaction.atomic
def integration_token_create(*, name: str, scope: str = TokenScope.READ, by=None) -> tuple[IntegrationToken, str]:
    """A new key and its secret: the only moment the secret exists outside the integrator's hands."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    actor = as_actor(by)
    token = IntegrationToken(name=name.strip()[:100], scope=scope, token_hash=IntegrationToken.hash_of(secret),
                             prefix=secret[:10], created_by=actor.user)
    token.full_clean()
    token.save()
    audit_log(action=AuditAction.TOKEN_CREATED, actor=actor, target=token, detail=f"scope {scope}")
    return token, secret


@transaction.atomic
def integration_token_revoke(*, token_id: int, by=None) -> bool:
    """Revoke a key for good; False if it was revoked already (the first revocation's time stands)."""
    changed = IntegrationToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if changed:
        audit_log(action=AuditAction.TOKEN_REVOKED, actor=as_actor(by),
                  target=IntegrationToken.objects.get(pk=token_id))
    return bool(changed)


def integration_token_check(*, authorization: str, resource_type: str | None = None) -> IntegrationToken:
    """The active key of an ``Authorization`` header (that may read ``resource_type``, if given); else TokenRefused.

    Marks the key used (a conditional update, at most once a minute, so a
    busy integration does not write on every request).
    """
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise TokenRefused(401, "login", "This API needs an integration key: Authorization: Bearer <key>.")
    token = IntegrationToken.objects.filter(token_hash=IntegrationToken.hash_of(secret.strip())).first()
    if token is None or not token.is_active:
        raise TokenRefused(401, "login", "This integration key is not valid (unknown or revoked).")
    if resource_type is not None and not token.may_read(resource_type):
        raise TokenRefused(403, "forbidden", f"This integration key may not read {resource_type} resources.")
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_actor(token: IntegrationToken, *, ip: str | None) -> Actor:
    """The audit trail's name for an integration: the key's id and name, never its secret."""
    return Actor(user=None, label=f"integration {token.pk}: {token.name}"[:150], ip=ip)


@transaction.atomic
def fhir_read_log(*, token: IntegrationToken, ip: str | None, what: str, intake_ids: list[int]) -> None:
    """The audit lines of one API answer: one per intake it showed (ids only), or one for an empty answer."""
    actor = token_actor(token, ip=ip)
    for intake_id in intake_ids or [None]:
        audit_log(action=AuditAction.FHIR_READ, actor=actor, target=token, intake_id=intake_id, detail=what)


@transaction.atomic
def fhir_export_log(*, counts: dict[str, int], intake_count: int) -> None:
    """The audit line of a bulk export (from the command line: the system's)."""
    summary = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    audit_log(action=AuditAction.FHIR_EXPORTED, detail=f"{summary}; {intake_count} intakes"[:200])
