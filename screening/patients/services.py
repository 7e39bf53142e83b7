"""Finding a patient's record for a sent intake, and staff merging two records."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.patients.models import Patient


class PatientError(Exception):
    """A refused merge; the message is safe to show to staff."""


def patient_for_intake(*, email: str, verified_email: str, date_of_birth: date | None, first_name: str,
                       last_name: str) -> Patient:
    """The patient a sent intake belongs to: the record with its proven email and date of birth, or a new one.

    Only a proven address matches (``verified_email``, the one a used link
    was sent to, still the intake's address): anyone can type someone else's
    email, nobody can open their mailbox. Call inside the submit's transaction.
    """
    proven = (verified_email or "").lower()
    if proven and proven == (email or "").lower() and date_of_birth is not None:
        found = (Patient.objects.filter(email=proven, date_of_birth=date_of_birth, merged_into__isnull=True)
                 .order_by("created_at", "id").first())
        if found is not None:
            return found
    else:
        proven = ""
    return Patient.objects.create(first_name=first_name[:100], last_name=last_name[:100], email=proven,
                                  date_of_birth=date_of_birth)


def patients_merge(*, keep_id: int, merge_id: int, by: Actor, now: datetime | None = None) -> Patient:
    """Staff say two records are one person: everything of ``merge_id`` moves to ``keep_id``; audited.

    The merged record stays, empty, pointing at the one kept (a link to it
    still finds the patient). The caller checks the permission
    (``patients.merge_patient``: clinicians and clinic admins).
    """
    if keep_id == merge_id:
        raise PatientError("A record cannot be merged into itself.")
    now = now or timezone.now()
    with transaction.atomic():
        # Both rows locked, lower id first: two merges of the same pair queue up, never wait in a circle.
        locked = {p.pk: p for p in Patient.objects.select_for_update().filter(pk__in=sorted([keep_id, merge_id]))
                  .order_by("pk")}
        keep, merge = locked.get(keep_id), locked.get(merge_id)
        if keep is None or merge is None:
            raise PatientError("One of these patient records does not exist.")
        if keep.merged_into_id or merge.merged_into_id:
            raise PatientError("One of these records has already been merged into another.")
        # The reverse relation (the intake app sits above this one and names its patient).
        moved = merge.intakes.update(patient=keep)
        if not keep.email and merge.email:
            keep.email = merge.email
        keep.date_of_birth = keep.date_of_birth or merge.date_of_birth
        keep.save(update_fields=["email", "date_of_birth"])
        merge.merged_into = keep
        merge.merged_at = now
        merge.save(update_fields=["merged_into", "merged_at"])
        audit_log(action=AuditAction.PATIENTS_MERGED, actor=by, target=keep,
                  detail=f"patient {merge.pk} merged into {keep.pk}; {moved} intake(s) moved")
    return keep
