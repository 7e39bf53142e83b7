"""The published questionnaire versions: what every intake was asked (``versions`` publishes them)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class QuestionnaireVersion(models.Model):
    """A published questionnaire, frozen: the steps and questions as they were.

    Every change to the questions or steps in the admin publishes a new
    version (when something changed); an intake keeps the version it
    answered. ``rule_problems`` are the active rules that referred to a
    missing question, or no longer fitted one, when the version was published.
    """

    number = models.PositiveIntegerField(unique=True)
    definition = models.JSONField()
    rule_problems = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"

    def __str__(self) -> str:
        return f"Questionnaire version {self.number}"

