"""The questionnaire and the rules, as the clinic admin edits and publishes them.

``Rule`` is the published, live rule that intakes are screened with. A change
starts as a ``RuleDraft`` (its conditions and examples as rows), is previewed,
then published: publishing writes the rule and a ``RuleRevision``, the frozen
definition that flags point to through ``Flag.rule_code`` + ``Flag.rule_revision``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from screening.questionnaire.changes import QuestionChange
from screening.questionnaire.terms import MedicineTerm
from screening.questionnaire.version_models import QuestionnaireVersion
from screening.questionnaire.wording_models import QuestionWording, RuleWording, StepWording

__all__ = [
    "QuestionWording", "RuleWording", "StepWording",
    "DraftCondition", "DraftExample", "MedicineTerm", "Outcome", "Question", "QuestionChange", "QuestionKind",
    "QuestionType",
    "QuestionnaireVersion", "Rule", "RuleDraft", "RuleRevision", "Severity", "Step",
]


class QuestionType(models.TextChoices):
    YES_NO = "yes_no", "Yes / no"
    DATE = "date", "Date"
    CHOICE = "choice", "One choice"
    MULTI = "multi", "Several choices"
    TEXT = "text", "Text"


class QuestionKind(models.TextChoices):
    """What an answer is, beyond its type: how the form checks it and what else uses it.

    The intake reads kinds, never codes: the email's answer is the intake's
    address (checked as one), the names are the intake's names and what the
    signature must match, and none of them is asked again by a clinician.
    """

    NONE = "none", "Nothing particular"
    FIRST_NAME = "first_name", "First name"
    LAST_NAME = "last_name", "Last name"
    DATE_OF_BIRTH = "date_of_birth", "Date of birth"
    EMAIL = "email", "Email address"
    PHONE = "phone", "Phone number"
    SIGNATURE = "signature", "Signature (the first and last name, typed)"
    SINCE_LAST_VISIT = "since_last_visit", "What changed since the last visit (asked only before a next visit)"


#: The answer type each kind needs (a kind not listed fits any type).
KIND_TYPES: dict[str, str] = {
    QuestionKind.FIRST_NAME: QuestionType.TEXT,
    QuestionKind.LAST_NAME: QuestionType.TEXT,
    QuestionKind.DATE_OF_BIRTH: QuestionType.DATE,
    QuestionKind.EMAIL: QuestionType.TEXT,
    QuestionKind.PHONE: QuestionType.TEXT,
    QuestionKind.SIGNATURE: QuestionType.TEXT,
    QuestionKind.SINCE_LAST_VISIT: QuestionType.TEXT,
}


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
    kind = models.CharField(
        max_length=20, choices=QuestionKind.choices, default=QuestionKind.NONE,
        help_text="What the answer is (an email address, a name, a signature...): how it is checked and used.",
    )
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
    never_label = models.CharField(
        max_length=100, blank=True,
        help_text="Dates that may be never: the words of that box (empty: “Never, or not in the last few years”).",
    )
    allow_month = models.BooleanField(
        default=False,
        help_text="Dates only: a month and year will do (screened as the last day of that month).",
    )
    allow_not_sure = models.BooleanField(
        default=False, help_text="Yes / no only: offer “Not sure” as a third answer (rules read it as not_sure).",
    )
    active = models.BooleanField(default=True)
    # The short health check before each appointment asks these again (screening.courses.recheck):
    # the answers that can change between the intake and the treatment day.
    asked_again = models.BooleanField(
        default=False, verbose_name="Asked again before each visit",
        help_text="Ask this again in the short health check before each appointment (it can change).",
    )

    class Meta:
        ordering = ["step__number", "order", "id"]
        constraints = [
            # The intake copies "the" email address and names, and matches "the" signature.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(active=True) & ~Q(kind="none"), name="question_one_active_per_kind",
                violation_error_message="Another active question is already of this kind.",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def as_spec(self) -> dict:
        """The plain-data form the rules engine reads (it ignores ``kind``; the intake form reads it)."""
        return {
            "code": self.code,
            "type": self.type,
            "kind": str(self.kind or QuestionKind.NONE),
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
            "month_ok": bool(self.allow_month),
            "not_sure": bool(self.allow_not_sure),
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


RULE_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z][A-Z0-9_]*$", "Use capital letters, digits and underscores, starting with a letter (e.g. MY_RULE)."
)


class RuleRevision(models.Model):
    """One published definition of a rule, frozen.

    Every publication of a rule (through a draft or an import) adds one,
    numbered like ``Rule.revision``, so a flag's rule code and revision lead
    to exactly the conditions and messages that raised it.
    """

    class Source(models.TextChoices):
        SEED = "seed", "Installed with the defaults"
        DRAFT = "draft", "Published from a draft"
        IMPORT = "import", "Imported from a file"

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    # The rule as published: screening/questionnaire/definitions.py RULE_FIELDS.
    definition = models.JSONField()
    source = models.CharField(max_length=10, choices=Source.choices)
    note = models.CharField(max_length=300, blank=True)
    draft = models.OneToOneField(
        "RuleDraft", on_delete=models.SET_NULL, null=True, blank=True, related_name="published_revision"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["rule__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rulerevision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.definition.get('code', self.rule_id)} revision {self.number}"


class RuleDraft(models.Model):
    """A proposed change to a rule, or a new rule: not live until published.

    Its conditions and examples are ``DraftCondition`` and ``DraftExample``
    rows. ``base_revision`` is the revision it was started from: publishing
    refuses a draft whose rule was published again in the meantime.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    rule = models.ForeignKey(
        Rule, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts",
        help_text="Empty for a new rule.",
    )
    base_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    code = models.CharField(max_length=60, validators=[RULE_CODE_VALIDATOR])
    name = models.CharField(max_length=200)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    treatments = models.JSONField(default=list, blank=True)
    match = models.CharField(max_length=3, choices=Rule.Match.choices, default=Rule.Match.ALL)
    staff_message = models.TextField()
    patient_message = models.TextField()
    active = models.BooleanField(
        default=True, help_text="Untick to retire the rule: it stops screening new intakes, its history stays."
    )
    note = models.CharField(max_length=300, blank=True, help_text="Why this change (kept with the revision).")
    # The patient's message in the other languages, {"es": {"patient_message": ...}}: RuleWording once published.
    translations = models.JSONField(default=dict, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("publish_ruledraft", "Can publish a rule change"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(status="draft"),
                name="ruledraft_one_open_per_code",
                violation_error_message="There is already an open draft for this rule code.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "discarded"]), name="ruledraft_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Draft of {self.code}" if self.rule_id else f"New rule {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.DRAFT


class DraftCondition(models.Model):
    """One condition of a draft: question, operator, value (docs/engine-contract.md)."""

    draft = models.ForeignKey(RuleDraft, on_delete=models.CASCADE, related_name="conditions")
    question = models.CharField(max_length=60)
    op = models.CharField("operator", max_length=20)
    # Typed as the engine reads it: null, true/false, text, a list of codes, a number.
    value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.question} {self.op} {self.value!r}"

    def as_spec(self) -> dict:
        spec = {"question": self.question, "op": self.op}
        if self.value is not None:
            spec["value"] = self.value
        return spec


class DraftExample(models.Model):
    """An example answer set with the outcome the rule set must give for it.

    The answers are laid over a complete, clean set of answers, so an example
    names only what matters (``{"active_acne": true}``).
    """

    draft = models.ForeignKey(RuleDraft, on_delete=models.CASCADE, related_name="examples")
    answers = models.JSONField(default=dict)
    treatment = models.CharField(max_length=40)
    on_date = models.DateField("appointment date")
    expected = models.CharField(max_length=15, choices=Outcome.choices)
    eligible_from = models.DateField(null=True, blank=True, help_text="Expected date, for a deferral.")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.answers} -> {self.expected}"

    def as_spec(self) -> dict:
        spec = {
            "answers": self.answers,
            "treatment": self.treatment,
            "on_date": self.on_date.isoformat(),
            "expected": self.expected,
        }
        if self.eligible_from:
            spec["eligible_from"] = self.eligible_from.isoformat()
        if self.note:
            spec["note"] = self.note
        return spec
