"""What a patient reports after a session: the "how is your skin?" follow-up."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from screening.booking.models import Booking
from screening.patients.models import Patient


class Reaction(models.TextChoices):
    REDNESS = "redness", _("Redness lasting more than 72 hours")
    INFECTION = "infection", _("Signs of infection (pus, heat, spreading pain or swelling)")
    DARK_PATCHES = "dark_patches", _("Dark patches")
    OTHER = "other", _("Something else")


class SkinReport(models.Model):
    """The patient's answer to "how is your skin?" a few days after a session.

    A report with reactions is a task for a clinician until one marks it
    seen; the reaction is also written into the intake's answers (the
    previous-reaction question), so the next screening asks for review.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="skin_reports")
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="skin_report")
    reactions = models.JSONField(default=list, blank=True)
    other = models.TextField(max_length=1000, blank=True)
    reported_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["reported_at"], name="skinreport_to_see",
                                condition=Q(seen_at__isnull=True) & ~Q(reactions=[]))]
        constraints = [
            models.CheckConstraint(condition=Q(seen_at__isnull=True) | Q(seen_by__isnull=False),
                                   name="skinreport_seen_by_someone"),
        ]

    def __str__(self) -> str:
        return f"Skin report {self.pk} of patient {self.patient_id}"

    @property
    def has_reaction(self) -> bool:
        return bool(self.reactions)

    def reaction_labels(self) -> list[str]:
        labels = dict(Reaction.choices)
        return [str(labels.get(r, r)) for r in self.reactions]
