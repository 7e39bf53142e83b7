"""The audit trail: who did what to which record, when, from where. Depends on no other app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


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
    EMAIL_CORRECTED = "email_corrected", "Corrected the patient's email address"
    INTAKE_ASSISTED = "intake_assisted", "Started an intake with the patient on the phone"
    VERBAL_CONSENT = "verbal_consent", "Recorded the patient's consent, given on the phone"
    CALENDAR_LINK_ISSUED = "calendar_link_issued", "Made a practitioner's calendar link"
    CALENDAR_LINK_REVOKED = "calendar_link_revoked", "Revoked a practitioner's calendar link"
    ANSWERS_UPDATED = "answers_updated", "Patient updated answers"
    ANSWERS_CORRECTED = "answers_corrected", "Patient corrected an answer"
    BOOKING_CREATED = "booking_created", "Booking made"
    BOOKING_CHANGED = "booking_changed", "Booking changed"
    RULE_PUBLISHED = "rule_published", "Published a rule"
    RULE_DRAFT_DISCARDED = "rule_draft_discarded", "Discarded a rule draft"
    RULE_DRAFT_SAVED = "rule_draft_saved", "Saved a rule draft"
    QUESTION_CHANGE_SAVED = "question_change_saved", "Saved a change to a question (a draft)"
    QUESTION_CHANGE_PUBLISHED = "question_change_published", "Published a change to a question"
    QUESTION_CHANGE_DISCARDED = "question_change_discarded", "Discarded a change to a question"
    BOOKINGS_TOLD_OF_RULE = "bookings_told_of_rule", "Told patients and the front desk of a rule change"
    RULES_IMPORTED = "rules_imported", "Imported rules"
    QUESTIONNAIRE_PUBLISHED = "questionnaire_published", "Published the questionnaire"
    MESSAGE_RESENT = "message_resent", "Sent a message to a patient again"
    RECORDS_LISTED = "records_listed", "Viewed a list of patient records"
    DATA_VIEWED = "data_viewed", "Patient viewed the data held about them"
    DATA_DOWNLOADED = "data_downloaded", "Patient downloaded the data held about them"
    PATIENT_ERASED = "patient_erased", "Erased a patient's data"
    INTAKE_PURGED = "intake_purged", "Purged after the retention period"
    SIGNIN_ALERT = "signin_alert", "Alerted admins to failed sign-ins"
    FHIR_READ = "fhir_read", "An integration read records (FHIR API)"
    FHIR_EXPORTED = "fhir_exported", "Exported records as FHIR"
    TOKEN_CREATED = "token_created", "Made an integration key"
    TOKEN_REVOKED = "token_revoked", "Revoked an integration key"
    PATIENT_VIEWED = "patient_viewed", "Viewed a patient's record"
    PATIENTS_MERGED = "patients_merged", "Merged two patient records"
    RECHECK_ANSWERED = "recheck_answered", "Patient answered the pre-visit check"
    SKIN_REPORTED = "skin_reported", "Patient reported on their skin after a session"
    SKIN_REPORT_SEEN = "skin_report_seen", "A clinician saw a skin report"
    SETUP_CHANGED = "setup_changed", "Changed the clinic's set-up"


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


DETAIL_LENGTH = 400


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
    # The intake the line is about, by id: the audit trail depends on no other app,
    # and a line outlives anything it names.
    intake_id = models.BigIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    # Room for a page of 25 intake ids of up to ten digits: a staff list's read is one line.
    detail = models.CharField(max_length=DETAIL_LENGTH, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["intake_id", "at"], name="auditevent_intake_at"),
            models.Index(fields=["at"], name="auditevent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
