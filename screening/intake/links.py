"""Secret patient links: issue, look up, revoke."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from screening.audit.log import audit_log
from screening.audit.models import AuditAction
from screening.intake.models import AccessLink, Intake


def link_issue(*, intake: Intake, purpose: str, days: int | None = None) -> str:
    """Create a link and return its token (256 bits); only its hash is kept."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    AccessLink.objects.create(
        intake=intake,
        purpose=purpose,
        token_hash=AccessLink.hash_token(token),
        sent_to=(intake.email or "").lower(),
        created_at=now,
        expires_at=now + timedelta(days=days or settings.INTAKE_LINK_DAYS),
    )
    return token


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("intake:link", args=[token])


def link_lookup(token: str) -> AccessLink | None:
    """The link for a token, whether usable or not; None when unknown."""
    if not token or len(token) > 100:
        return None
    return (
        AccessLink.objects.select_related("intake")
        .filter(token_hash=AccessLink.hash_token(token))
        .first()
    )


def link_mark_used(*, link: AccessLink, now=None) -> None:
    """The patient opened this link: note when, and that the address it was emailed to is theirs.

    The address counts as proven only while it is still the intake's address
    (a link sent before the patient changed it proves the old one, not the new).
    """
    now = now or timezone.now()
    AccessLink.objects.filter(pk=link.pk).update(last_used_at=now)
    if link.sent_to:
        Intake.objects.filter(pk=link.intake_id, email__iexact=link.sent_to).update(verified_email=link.sent_to)


@transaction.atomic
def links_revoke(*, intake: Intake, by, now=None) -> int:
    """Revoke every live link of an intake and end the patient sessions they granted; returns how many.

    For a patient whose mailbox may be in someone else's hands: the links
    already sent stop working (their page says how to get a new one), and
    any browser already let in by one of them, or by starting the intake,
    is let in no more (``access_revoked_at``, read by ``screening.intake.access``).
    The patient gets back in with a new link, requested or sent by staff.
    ``by`` is the staff ``Actor``; the caller checks the permission
    (``intake.revoke_accesslink``). Audited, with the count and no
    patient data.
    """
    now = now or timezone.now()
    # The intake row is the lock, as for clinicians' decisions: two revocations queue up.
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    count = AccessLink.objects.filter(intake=locked, revoked_at__isnull=True, expires_at__gt=now).update(
        revoked_at=now
    )
    Intake.objects.filter(pk=locked.pk).update(access_revoked_at=now)
    intake.access_revoked_at = now
    audit_log(action=AuditAction.LINKS_REVOKED, actor=by, target=locked, intake_id=locked.pk,
              detail=f"{count} live link(s) revoked; patient sessions ended")
    return count
