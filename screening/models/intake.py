"""The clinic's data: questionnaire, rules, intakes and their screenings.

Booking and calendar models live in ``screening.models.booking``.
"""

from __future__ import annotations

import hashlib
import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class QuestionType(models.TextChoices):
    YES_NO = "yes_no", "Yes / no"
    DATE = "date", "Date"
    CHOICE = "choice", "One choice"
    MULTI = "multi", "Several choices"
    TEXT = "text", "Text"


class Severity(models.TextChoices):
    BLOCK = "block", "Block (not suitable)"
    DEFER = "defer", "Defer (eligible from a date)"
    REVIEW = "review", "Review (a clinician decides)"
    INFO = "info", "Info (shown to the practitioner)"


class Outcome(models.TextChoices):
    ELIGIBLE = "eligible", "Eligible"
    DEFERRED = "deferred", "Eligible from a date"
    REVIEW = "review", "Needs review"
    NOT_SUITABLE = "not_suitable", "Not suitable"
    INCOMPLETE = "incomplete", "Incomplete"


class Treatment(models.Model):
    """A treatment a patient can ask for (face, scalp, body)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="treatment_duration_sensible",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Step(models.Model):
    """One short page of the intake questionnaire."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=100)
    intro = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Question(models.Model):
    """A question of the intake; its code is what rules refer to."""

    code = models.SlugField(max_length=60, unique=True)
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=10, choices=QuestionType.choices)
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    # [{"code": "none", "label": "No"}, ...] for choice and multi questions.
    choices = models.JSONField(default=list, blank=True)
    show_when_question = models.SlugField(max_length=60, blank=True)
    show_when_value = models.JSONField(null=True, blank=True)
    max_length = models.PositiveIntegerField(null=True, blank=True)
    must_be_true = models.BooleanField(default=False)
    past_only = models.BooleanField(
        default=False, help_text="A date about the past: a future date is refused."
    )
    allow_never = models.BooleanField(
        default=False,
        help_text="Dates only: offer “never / not applicable”, stored as no date.",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["step__number", "order", "id"]

    def __str__(self) -> str:
        return self.code

    def as_spec(self) -> dict:
        """The plain-data form the rules engine reads."""
        return {
            "code": self.code,
            "type": self.type,
            "required": self.required,
            "choices": [c["code"] for c in self.choices or []],
            "show_when": (
                {"question": self.show_when_question, "value": self.show_when_value}
                if self.show_when_question
                else None
            ),
            "max_length": self.max_length,
            "must_be_true": self.must_be_true,
            "past_only": self.past_only,
            "nullable": self.allow_never,
        }


class Rule(models.Model):
    """A contraindication rule: conditions over answers, as data."""

    class Match(models.TextChoices):
        ALL = "all", "All conditions"
        ANY = "any", "Any condition"

    code = models.CharField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    # Treatment codes the rule applies to; empty means all treatments.
    treatments = models.JSONField(default=list, blank=True)
    match = models.CharField(max_length=3, choices=Match.choices, default=Match.ALL)
    # [{"question": "...", "op": "...", "value": ...}]; see docs/engine-contract.md
    conditions = models.JSONField(default=list)
    staff_message = models.TextField()
    patient_message = models.TextField()
    examples = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    def as_spec(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "treatments": list(self.treatments or []),
            "match": self.match,
            "conditions": list(self.conditions or []),
            "staff_message": self.staff_message,
            "patient_message": self.patient_message,
            "revision": self.revision,
        }


class Intake(models.Model):
    """One patient's questionnaire for one treatment, from draft to outcome."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    treatment = models.ForeignKey(Treatment, on_delete=models.PROTECT)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # JSON answers keyed by question code, in INTAKE.md's JSON value types.
    answers = models.JSONField(default=dict, blank=True)
    # The questionnaire version the patient answered (null for intakes from before versions).
    questionnaire_version = models.ForeignKey(
        "screening.QuestionnaireVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="intakes"
    )
    # Highest step the patient has completed; they resume at the next one.
    completed_step = models.PositiveSmallIntegerField(default=0)
    # Contact details copied out of the answers for staff search and email.
    email = models.EmailField(blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    # The current screening's result, mirrored for the staff queue's filters.
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    eligible_from = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When staff last revoked the patient's links: a patient session granted
    # before this moment no longer opens the intake (see screening.access).
    access_revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["outcome", "submitted_at"], name="intake_outcome_submitted"),
            models.Index(fields=["email"], name="intake_email"),
            # The staff queue's tail and the what-if preview read submitted intakes newest first,
            # a page at a time (keyset pagination on submitted_at, id): this index is that order.
            models.Index(fields=["-submitted_at", "-id"], name="intake_submitted_recent",
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

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
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

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class RateLimitCounter(models.Model):
    """How many times one client did one thing in one time window.

    Kept in the database so every app server shares the same counts.
    ``key`` is a SHA-256 of the scope and the client's address or email.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_one_counter_per_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="ratelimit_window")]
