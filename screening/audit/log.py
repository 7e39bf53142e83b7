"""Writing the audit trail: ``audit_log()`` and the ``Actor`` who acted.

The service that acts writes its line, explicitly, inside its own
transaction, so the line stands or falls with the change. Nothing clinical
is ever written here: actions, record ids, an address.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models

from screening.audit.models import DETAIL_LENGTH, AuditAction, AuditEvent

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
    line = _line(action=action, actor=actor, target=target, intake_id=intake_id, detail=detail)
    line.save(force_insert=True)
    return line


def _line(*, action: str, actor: Actor | None, target: models.Model | None = None, intake_id: int | None = None,
          detail: str = "") -> AuditEvent:
    actor = actor or Actor()
    user = actor.user if getattr(actor.user, "pk", None) else None
    return AuditEvent(
        actor=user,
        actor_label=(actor.label or "")[:150],
        action=action,
        object_type=target._meta.model_name if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        intake_id=intake_id,
        ip=actor.ip,
        detail=detail[:DETAIL_LENGTH],
    )


def audit_list_read(*, actor: Actor, where: str, intake_ids: list[int]) -> list[AuditEvent]:
    """Record a staff list of patient records: which intakes it showed, by id, never what was searched.

    One line, or a few when the ids do not fit one line's detail, written in one INSERT: all of
    them or none, with no transaction needed of the caller (a list page writes nothing else).
    """
    ids = list(dict.fromkeys(intake_ids))  # in the order shown, each once
    head = f"{where}: {len(ids)} shown; intakes "
    chunks, line = [], []
    for pk in ids:
        if line and len(head) + len(",".join(map(str, [*line, pk]))) > DETAIL_LENGTH:
            chunks.append(line)
            line = []
        line.append(pk)
    chunks.append(line)
    lines = [_line(action=AuditAction.RECORDS_LISTED, actor=actor, detail=head + ",".join(map(str, chunk)))
             for chunk in chunks]
    if len(lines) == 1:
        lines[0].save(force_insert=True)  # the usual page: a statement needs no transaction around it
        return lines
    return AuditEvent.objects.bulk_create(lines)  # one INSERT (Django puts it in a transaction of its own)


def as_actor(by: Actor | AbstractBaseUser | None) -> Actor:
    """``by`` as an ``Actor``: services take an Actor from a view, or a user (or None) from the command line."""
    return by if isinstance(by, Actor) else Actor.staff(by)
