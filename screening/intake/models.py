"""A patient's intake: answers, screenings and their flags, secret links, a clinician's question."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from screening.core.models import Treatment
from screening.patients.models import Patient
from screening.questionnaire.models import Outcome, QuestionnaireVersion, Rule, Severity


class ReviewState(models.TextChoices):
    """Where a submitted intake stands with the clinicians.

    Stored on the intake and changed only by the services that change what
    it depends on (screening.intake.review says how it follows from them).
    The values are the ones the staff pages have always used; "clear" and
    "decline" are also the kinds of a clinician's final decision.
    """

    NONE = "", "No review"
    NEEDS_REVIEW = "review", "Needs review"
    WAITING = "waiting", "Waiting for the patient"
    CLEARED = "clear", "Cleared"
    DECLINED = "decline", "Declined"


class Intake(models.Model):
    """One patient's questionnaire for one treatment, from draft to outcome."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT)
    # Whose intake this is: set when it is sent (screening.patients.services.patient_for_intake).
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # A returning patient's short health update: the intake whose answers it was built from (null: a full intake).
    follows = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                editable=False)
    # JSON answers keyed by question code, in INTAKE.md's JSON value types.
    answers = models.JSONField(default=dict, blank=True)
    # The questionnaire version the patient answered (null for intakes from before versions).
    questionnaire_version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes"
    )
    # Highest step the patient has completed; they resume at the next one.
    completed_step = models.PositiveSmallIntegerField(default=0)
    # Contact details copied out of the answers for staff search and email.
    email = models.EmailField(blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # The address the patient proved, lower-cased: a link emailed to it was opened while it was the
    # intake's address. Blank until then; it no longer counts once ``email`` changes.
    verified_email = models.EmailField(blank=True, editable=False)
    # The current screening's result, mirrored for the staff queue's filters.
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    eligible_from = models.DateField(null=True, blank=True)
    # Whether a clinician must look, is waiting for the patient, or has decided: the staff queue's order.
    review_state = models.CharField(max_length=10, choices=ReviewState.choices, blank=True,
                                    default=ReviewState.NONE, editable=False)
    # What the clinician who cleared the intake asks the patient to do before the appointment (e.g. "take
    # your antiviral from two days before"): shown on the patient's pages, never put in an email.
    patient_instructions = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When staff last revoked the patient's links: a patient session granted
    # before this moment no longer opens the intake (see screening.intake.access).
    access_revoked_at = models.DateTimeField(null=True, blank=True)
    # An intake filled in by staff with the patient on the phone (screening.intake.assisted): who, when.
    assisted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False)
    assisted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # On the phone there is no typed signature: the staff member records that the patient consented aloud.
    verbal_consent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+", editable=False)
    verbal_consent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The language the patient chose (screening/core/language.py): their pages, resume link and emails.
    # The answers are codes, so staff read them in the clinic's language whatever this is.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")

    class Meta:
        ordering = ["-created_at"]
        # Staff correcting a mistyped address (issue 19): the old links stop working.
        permissions = [("correct_email", "Can correct a patient's email address")]
        indexes = [
            models.Index(fields=["outcome", "submitted_at"], name="intake_outcome_submitted"),
            models.Index(fields=["email"], name="intake_email"),
            # The staff queue's tail and the what-if preview read submitted intakes newest first,
            # a page at a time (keyset pagination on submitted_at, id): this index is that order.
            models.Index(fields=["-submitted_at", "-id"], name="intake_submitted_recent",
                         condition=Q(status="submitted")),
            # The queue's first part (needs review, longest waiting first), its state filter and its counts.
            models.Index(fields=["review_state", "submitted_at", "id"], name="intake_review_queue",
                         condition=Q(status="submitted")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(status="draft", submitted_at__isnull=True, outcome="")
                    | (Q(status="submitted", submitted_at__isnull=False) & ~Q(outcome=""))
                ),
                name="intake_submitted_has_outcome",
            ),
            models.CheckConstraint(condition=Q(review_state__in=ReviewState.values),
                                   name="intake_review_state_valid"),
            # A draft has nothing to review yet.
            models.CheckConstraint(condition=Q(status="submitted") | Q(review_state=""),
                                   name="intake_draft_not_in_review"),
            # Verbal consent is taken on the phone only: an intake the patient fills in online signs it.
            models.CheckConstraint(condition=Q(verbal_consent_at__isnull=True) | Q(assisted_at__isnull=False),
                                   name="intake_verbal_consent_only_assisted"),
        ]

    def __str__(self) -> str:
        return f"Intake {self.public_id}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Screening(models.Model):
    """A snapshot of one run of the rules engine over an intake.

    Rows are only ever added: editing a rule later never changes a past
    outcome, and re-screening records a new row beside the old ones.
    """

    class Reason(models.TextChoices):
        SUBMIT = "submit", "Submitted by the patient"
        RESCREEN = "rescreen", "Re-screened by staff"
        BOOKING = "booking", "Date re-check at booking"
        ANSWERS_UPDATED = "answers_updated", "Patient updated answers"
        RECHECK = "recheck", "Pre-visit re-check"
        # Issue 17: "I answered something by mistake" on the outcome page (screening.intake.correction).
        CORRECTED = "corrected", "Patient corrected an answer"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="screenings")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    on_date = models.DateField(help_text="The appointment date the rules were evaluated for.")
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    eligible_from = models.DateField(null=True, blank=True)
    missing = models.JSONField(default=list, blank=True)
    # The answers as screened, so the snapshot stands even if answers change.
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.intake_id}: {self.outcome}"


class Flag(models.Model):
    """One rule that fired in a screening, with its evidence and revision."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="flags")
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, null=True, related_name="flags")
    rule_code = models.CharField(max_length=60)
    rule_revision = models.PositiveIntegerField()
    rule_name = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    evidence = models.JSONField(default=dict)
    eligible_from = models.DateField(null=True, blank=True)
    staff_message = models.TextField()
    patient_message = models.TextField()
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["rule_code"], name="flag_rule_code")]

    def __str__(self) -> str:
        return f"{self.rule_code} ({self.severity})"


class AccessLink(models.Model):
    """A secret, expiring link that lets a patient back into their intake.

    Only a SHA-256 of the token is stored: a database leak gives no links.
    """

    class Purpose(models.TextChoices):
        RESUME = "resume", "Resume the intake"
        MANAGE = "manage", "Manage a booking"
        UPDATE = "update", "Update answers"
        RECHECK = "recheck", "Pre-visit health check"
        FOLLOW_UP = "follow_up", "How is your skin?"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # The address the link was emailed to (blank for links from before this was kept): opening it proves that address.
    sent_to = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("revoke_accesslink", "Can revoke a patient's links")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="accesslink_expires_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} link of intake {self.intake_id}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class PatientQuestion(models.Model):
    """A clinician's question to the patient, answered by updating their answers.

    Open until the patient answers it, or until a clinician decides without
    waiting (then it is closed). One open question per intake at a time.
    """

    intake = models.ForeignKey(Intake, on_delete=models.PROTECT, related_name="staff_questions")
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
