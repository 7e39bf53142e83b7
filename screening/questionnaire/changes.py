"""A proposed change to one question of the intake (a model of this app): a draft until it is published.

Nobody is asked a draft's wording, choices or required-ness: the live ``Question`` rows change only when
the change is published (``questionnaire.question_changes.question_change_publish``), which also publishes a
new questionnaire version. Intakes under way keep the version they began with until then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class QuestionChange(models.Model):
    """A change to a question (its wording, help, answers, whether it must be answered), or a new question."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"

    question = models.ForeignKey(
        "questionnaire.Question", on_delete=models.PROTECT, null=True, blank=True, related_name="changes",
        help_text="Empty for a new question.",
    )
    code = models.SlugField(max_length=60)
    step = models.ForeignKey("questionnaire.Step", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=10)
    label = models.CharField(max_length=300)
    help_text = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    # [{"code": "none", "label": "No"}, ...]; codes never change (rules read them), labels may.
    choices = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    note = models.CharField(max_length=300, blank=True)
    # The words in the other languages, {"es": {"label", "help_text", "choice_labels": {code: label}}}:
    # the question's QuestionWording once published.
    translations = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(status="draft"),
                                    name="questionchange_one_open_per_code",
                                    violation_error_message="There is already an open change to this question."),
            models.CheckConstraint(condition=Q(status__in=["draft", "published", "discarded"]),
                                   name="questionchange_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Change to {self.code}" if self.question_id else f"New question {self.code}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.DRAFT
