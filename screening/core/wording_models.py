"""The clinic's own words in the patient's other languages: treatments and the profile's free texts (issue 16).

The English lives on the treatment and the clinic's settings; each row here is
the same words in one other language, edited beside the English on the set-up
pages. An empty field shows the English (``screening.core.wordings``): a patient
never reads a blank treatment name or an empty pre-care paragraph.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


def translated_languages() -> list[tuple[str, str]]:
    """The languages a patient may choose other than the clinic's own English."""
    return [(code, name) for code, name in settings.LANGUAGES if code != "en"]


class TreatmentWording(models.Model):
    """A treatment's name and description in another language, as the patient reads them."""

    treatment = models.ForeignKey("core.Treatment", on_delete=models.CASCADE, related_name="wordings")
    language = models.CharField(max_length=8, choices=translated_languages())
    name = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["treatment", "language"], name="treatmentwording_one_per_language"),
            models.CheckConstraint(condition=~Q(language="en"), name="treatmentwording_not_english"),
        ]

    def __str__(self) -> str:
        return f"{self.treatment_id} ({self.language})"


class ClinicWording(models.Model):
    """The clinic's free texts for patients (pre-care, aftercare, cancellation policy) in another language."""

    language = models.CharField(max_length=8, choices=translated_languages())
    pre_care_text = models.TextField(blank=True)
    aftercare_text = models.TextField(blank=True)
    cancellation_text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language"], name="clinicwording_one_per_language"),
            models.CheckConstraint(condition=~Q(language="en"), name="clinicwording_not_english"),
        ]

    def __str__(self) -> str:
        return f"Clinic texts ({self.language})"
