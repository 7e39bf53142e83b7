"""Clinicians' decisions on intakes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from screening.intake.models import Intake, PatientQuestion, Screening


class DecisionKind(models.TextChoices):
    CLEAR = "clear", "Cleared"
    DECLINE = "decline", "Declined"
    ASK = "ask", "Asked the patient"


# Decisions that end a review; a question keeps it open.
FINAL_DECISION_KINDS = (DecisionKind.CLEAR, DecisionKind.DECLINE)


class DeclineReason(models.TextChoices):
    """What the patient is told when declined: kind, and never medical detail."""

    SEE_DOCTOR = "see_doctor", "Speak with their doctor first"
    NOT_SAFE_NOW = "not_safe_now", "Not safe for them at the moment"
    OTHER_TREATMENT = "other_treatment", "Another treatment may suit them better"


class IntakeDecision(models.Model):
    """A clinician's decision on an intake, as screened at one moment.

    The decision names the screening the clinician read. A screening gets at
    most one final decision (clear or decline): the database refuses a second
    one, whatever the application did first.
    """

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="decisions")
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    # Staff only: never emailed, never shown to the patient.
    note = models.TextField(blank=True)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    # The question asked, for an "ask" decision.
    question = models.OneToOneField(
        PatientQuestion, on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        permissions = [
            ("decide_intake", "Can clear, decline or question an intake"),
            ("rescreen_intake", "Can re-screen intakes against the current rules"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["screening"],
                condition=Q(kind__in=["clear", "decline"]),
                name="intakedecision_one_final_per_screening",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["clear", "decline", "ask"]), name="intakedecision_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="clear") | ~Q(note=""), name="intakedecision_clear_has_note"
            ),
            models.CheckConstraint(
                condition=~Q(kind="decline") | ~Q(decline_reason=""),
                name="intakedecision_decline_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} intake {self.intake_id}"
