"""Writing the audit trail: ``audit_log()`` and the ``Actor`` who acted.

The service that acts writes its line, explicitly, inside its own
transaction, so the line stands or falls with the change. Nothing clinical
is ever written here: actions, record ids, an address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from screening.audit.models import AuditAction, AuditEvent

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
    def staff(cls, user: AbstractBaseUser | None, *, ip: str | None = None) -> Actor:
        """A staff user (``None``: the command line, i.e. the system)."""
        if user is None or getattr(user, "pk", None) is None:
            return cls()
        return cls(user=user, label=user.get_username(), ip=ip)


def audit_log(
    *,
    action: str,
    actor: Actor | None = None,
    target: models.Model | None = None,
    intake_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Append one audit line; inside the caller's transaction, so it stands or falls with it.

    ``actor`` is who acted; without one, the line is the system's.
    """
    actor = actor or Actor()
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


def as_actor(by: Actor | AbstractBaseUser | None) -> Actor:
    """``by`` as an ``Actor``: services take an Actor from a view, or a user (or None) from the command line."""
    return by if isinstance(by, Actor) else Actor.staff(by)


def audit_list_read(*, actor: Actor, where: str, intake_ids: list[int]) -> list[AuditEvent]:
    """Record a staff list of patient records: which intakes it showed, by id, never what was searched.

    One line, or a few when the ids do not fit one line's detail; inside the
    caller's transaction, like ``audit_log``.
    """
    ids = list(dict.fromkeys(intake_ids))  # in the order shown, each once
    head = f"{where}: {len(ids)} shown; intakes "
    chunks, line = [], []
    for pk in ids:
        if line and len(head) + len(",".join(map(str, [*line, pk]))) > 200:
            chunks.append(line)
            line = []
        line.append(pk)
    chunks.append(line)
    return [audit_log(action=AuditAction.RECORDS_LISTED, actor=actor, detail=head + ",".join(map(str, chunk)))
            for chunk in chunks]
