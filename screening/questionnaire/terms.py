"""The clinic's list of medicines and allergens that free-text answers are read for (a model of this app)."""

from __future__ import annotations

from django.db import models


class MedicineTerm(models.Model):
    """A medicine or allergen the screening looks for in what patients write, with where it comes from.

    The rules ``MEDICINE_MENTIONED`` and ``MEDICINES_LISTED`` read the active
    terms (``screening.rules.vocabulary``): whole words, any case, the aliases
    and misspellings listed here, and close misspellings of longer words.
    """

    term = models.CharField(max_length=100, help_text="The generic name, as staff should read it (e.g. warfarin).")
    term_class = models.SlugField(
        "class", max_length=40,
        help_text="What kind of thing it is (e.g. anticoagulant, oral_retinoid, numbing_agent, metal).",
    )
    aliases = models.CharField(
        max_length=500, blank=True,
        help_text="Brand names and common misspellings, comma separated (e.g. Coumadin, warfrin).",
    )
    source = models.CharField(max_length=300, help_text="Where the clinic's reason for listing it comes from.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["term_class", "term"]
        constraints = [
            models.UniqueConstraint(fields=["term"], name="medicineterm_unique_term",
                                    violation_error_message="This medicine or allergen is already listed."),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.term_class})"

    def as_spec(self) -> dict:
        """The plain data the engine reads."""
        return {
            "term": self.term,
            "class": self.term_class,
            "aliases": [alias.strip() for alias in self.aliases.split(",") if alias.strip()],
            "source": self.source,
        }
