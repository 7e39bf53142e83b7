"""The questionnaire's wording in the patient's other languages, as clinic data (issue 16).

The English lives on the step, question and rule themselves; each row here is
the same words in one other language, edited beside the English in the
set-up. An empty field shows the English (``screening.questionnaire.wordings``):
a patient never sees a blank question. Answers stay codes, so staff read
every answer in the clinic's language whatever the patient read.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from screening.core.wording_models import translated_languages


class StepWording(models.Model):
    """A step's title and introduction in another language."""

    step = models.ForeignKey("questionnaire.Step", on_delete=models.CASCADE, related_name="wordings")
    language = models.CharField(max_length=8, choices=translated_languages())
    title = models.CharField(max_length=100, blank=True)
    intro = models.CharField(max_length=400, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["step", "language"], name="stepwording_one_per_language"),
            models.CheckConstraint(condition=~Q(language="en"), name="stepwording_not_english"),
        ]

    def __str__(self) -> str:
        return f"{self.step_id} ({self.language})"


class QuestionWording(models.Model):
    """A question's words in another language: its text, help, "never" box and its answers' labels."""

    question = models.ForeignKey("questionnaire.Question", on_delete=models.CASCADE, related_name="wordings")
    language = models.CharField(max_length=8, choices=translated_languages())
    label = models.CharField(max_length=300, blank=True)
    help_text = models.CharField(max_length=500, blank=True)
    never_label = models.CharField(max_length=100, blank=True)
    # {choice code: label} for choice and multi questions; a code left out shows its English label.
    choice_labels = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "language"], name="questionwording_one_per_language"),
            models.CheckConstraint(condition=~Q(language="en"), name="questionwording_not_english"),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} ({self.language})"


class RuleWording(models.Model):
    """A rule's message to the patient in another language, with the same {placeholders} as the English."""

    rule = models.ForeignKey("questionnaire.Rule", on_delete=models.CASCADE, related_name="wordings")
    language = models.CharField(max_length=8, choices=translated_languages())
    patient_message = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "language"], name="rulewording_one_per_language"),
            models.CheckConstraint(condition=~Q(language="en"), name="rulewording_not_english"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} ({self.language})"
