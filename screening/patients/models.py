"""The patient record: one person across intakes, sessions, messages and decisions."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Patient(models.Model):
    """One person the clinic treats, across all their intakes and sessions.

    An intake is matched to a patient when it is sent, on an email address
    the patient proved (they opened a link emailed to it) and their date of
    birth; otherwise it starts a new record. Staff merge two records that are
    the same person: the merged one points at the one kept and holds nothing.
    """

    # The id other systems know the patient by (the FHIR Patient's id): random, so it says nothing.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # Lower-cased; only ever an address the patient proved. Blank until then.
    email = models.EmailField(blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_from")
    merged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        permissions = [("merge_patient", "Can merge two patient records")]
        indexes = [models.Index(fields=["email", "date_of_birth"], name="patient_email_birth")]
        constraints = [
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="patient_not_merged_into_itself"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True, merged_at__isnull=True)
                | Q(merged_into__isnull=False, merged_at__isnull=False),
                name="patient_merged_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Patient {self.pk}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or f"Patient {self.pk}"
