"""An integration's key to the FHIR API: made and revoked by a clinic admin, kept only as a hash."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TokenScope(models.TextChoices):
    """What a key may read: everything, or only the appointments (a calendar system needs no health answers)."""

    READ = "read", "Read every resource"
    APPOINTMENTS = "appointments", "Read appointments only"


#: The FHIR resource types each scope may read.
SCOPE_RESOURCES: dict[str, frozenset[str]] = {
    TokenScope.READ: frozenset({"Patient", "Questionnaire", "QuestionnaireResponse", "DetectedIssue", "Appointment"}),
    TokenScope.APPOINTMENTS: frozenset({"Appointment"}),
}


class IntegrationToken(models.Model):
    """The key one outside system (an EHR, a reporting tool) uses to read records over the FHIR API.

    The secret is shown once, when the clinic admin makes it; only its
    SHA-256 is kept, so a database leak gives no keys. Revoking is for good:
    a revoked key never opens anything again, and the row stays for the record.
    """

    name = models.CharField(max_length=100, help_text="Which system uses it, e.g. “Practice EHR”.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so an admin can tell keys apart without the secret.
    prefix = models.CharField(max_length=12, editable=False)
    scope = models.CharField(max_length=20, choices=TokenScope.choices, default=TokenScope.READ)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "integration key"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(scope__in=TokenScope.values), name="integrationtoken_scope_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def may_read(self, resource_type: str) -> bool:
        return resource_type in SCOPE_RESOURCES.get(self.scope, frozenset())

    @staticmethod
    def hash_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()
