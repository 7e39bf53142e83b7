"""Staff review: clinicians' decisions, questions to patients, the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from screening.models.intake import Intake, Screening


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

    class Meta:
        ordering = ["-decided_at", "-id"]
        permissions = [("decide_intake", "Can clear, decline or question an intake")]
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


class PatientQuestion(models.Model):
    """A clinician's question to the patient, answered by updating their answers.

    Open until the patient answers it, or until a clinician decides without
    waiting (then it is closed). One open question per intake at a time.
    """

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="staff_questions")
    decision = models.OneToOneField(IntakeDecision, on_delete=models.PROTECT, related_name="question")
    text = models.TextField(max_length=1000)
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The patient's own words beside their updated answers.
    reply = models.TextField(max_length=2000, blank=True)
    answer_screening = models.ForeignKey(
        Screening, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake"],
                condition=Q(answered_at__isnull=True, closed_at__isnull=True),
                name="patientquestion_one_open_per_intake",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(closed_at__isnull=True),
                name="patientquestion_answered_or_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"Question on intake {self.intake_id}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.closed_at is None


class AuditAction(models.TextChoices):
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Sign-in failed"
    LOGOUT = "logout", "Signed out"
    PASSWORD_RESET = "password_reset", "Password reset requested"
    INTAKE_VIEWED = "intake_viewed", "Viewed an intake"
    INTAKE_CLEARED = "intake_cleared", "Cleared an intake"
    INTAKE_DECLINED = "intake_declined", "Declined an intake"
    INTAKE_ASKED = "intake_asked", "Asked the patient a question"
    INTAKE_RESCREENED = "intake_rescreened", "Re-screened against the current rules"
    LINKS_REVOKED = "links_revoked", "Revoked the patient's links"
    ANSWERS_UPDATED = "answers_updated", "Patient updated answers"
    BOOKING_CREATED = "booking_created", "Booking made"
    BOOKING_CHANGED = "booking_changed", "Booking changed"


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit record."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    # Bulk paths that would rewrite rows.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be changed.")


class AuditEvent(models.Model):
    """One line of the audit trail: who did what to which record, when, from where.

    Append-only: the model, its queryset and the admin refuse changes, and on
    PostgreSQL a trigger refuses UPDATE and DELETE. No health data: only
    actions and record ids.
    """

    at = models.DateTimeField(default=timezone.now)
    # Users are never deleted through these rows, and a row outlives its user.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False,
        null=True, blank=True, related_name="+",
    )
    # The username at the time, "patient", "system", or the name tried at a failed sign-in.
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(max_length=30, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    intake = models.ForeignKey(
        Intake, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["intake", "at"], name="auditevent_intake_at"),
            models.Index(fields=["at"], name="auditevent_at"),
        ]
        # Kept here for want of a better home: the role that may open /admin/.
        permissions = [("access_admin", "Can use the clinic admin (Django admin)")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
