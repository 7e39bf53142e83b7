"""Audit lines for rule and questionnaire changes, in the staff audit trail.

Publications are also kept as ``RuleRevision`` and ``QuestionnaireVersion``
rows (who, when, what); the audit trail gives the clinic one place to read
every staff action.
"""

from __future__ import annotations

from django.db import models

from screening.staff.audit import Actor, audit_log, current_actor

RULE_PUBLISHED = "rule_published"
RULE_DRAFT_DISCARDED = "rule_draft_discarded"
RULES_IMPORTED = "rules_imported"
QUESTIONNAIRE_PUBLISHED = "questionnaire_published"
INTAKE_RESCREENED = "intake_rescreened"


def record(action: str, *, by=None, target: models.Model | None = None, intake_id: int | None = None,
           detail: str = "") -> None:
    """One audit line; ``by`` is the staff user, or None for the command line (the system).

    The address is the request's, when ``by`` is the user signed in on the request being served.
    """
    actor = None
    if getattr(by, "pk", None):
        current = current_actor()
        same = getattr(current.user, "pk", None) == by.pk
        actor = Actor.staff(by, ip=current.ip if same else None)
    audit_log(action=action, actor=actor, target=target, intake_id=intake_id, detail=detail)
