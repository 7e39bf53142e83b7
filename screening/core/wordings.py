"""The clinic's own words in the patient's language: the translation the clinic wrote, else the English.

``treatment_words(treatment)`` and ``clinic_texts(profile)`` answer "what does
the patient read here?" in the active language (the patient pages' middleware
and ``language_override`` for emails set it). English reads nothing; another
language reads its one row, kept on the treatment or profile instance so a page
that names its treatment three times pays one query. A missing or blank
translation is the English, never an empty string.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import translation

from screening.core.models import ClinicSettings, ClinicWording, Treatment, TreatmentWording

ENGLISH = "en"
#: The profile's texts that patients read, each with its translation beside the English.
CLINIC_TEXT_FIELDS = ("pre_care_text", "aftercare_text", "cancellation_text")
#: The treatment's words that patients read.
TREATMENT_TEXT_FIELDS = ("name", "description")
_CACHE = "_wordings_by_language"


def active_language(language: str | None = None) -> str:
    """``language``, else the active one, as a bare code ("es", "en"; the clinic's "en-gb" is "en")."""
    code = language or translation.get_language() or ENGLISH
    return code.split("-")[0].lower()


@dataclass(frozen=True)
class TreatmentWords:
    """A treatment's name and description as one patient reads them."""

    name: str
    description: str


@dataclass(frozen=True)
class ClinicTexts:
    """The clinic's free texts as one patient reads them (each stripped; "" when the clinic wrote none)."""

    pre_care_text: str
    aftercare_text: str
    cancellation_text: str


def _cached(instance, language: str, read):
    cache = instance.__dict__.setdefault(_CACHE, {})
    if language not in cache:
        cache[language] = read()
    return cache[language]


def _translated(english: str, translated: str | None) -> str:
    # The English decides whether there is a text at all: one the clinic emptied is not shown in any language.
    english = (english or "").strip()
    return ((translated or "").strip() or english) if english else ""


def treatment_wordings(language: str | None = None) -> Mapping[int, TreatmentWording]:
    """Every treatment's translation in ``language``, by treatment id: one query (none for English), for a page
    that lists the treatments."""
    language = active_language(language)
    if language == ENGLISH:
        return {}
    return {w.treatment_id: w for w in TreatmentWording.objects.filter(language=language)}


def treatment_words(treatment: Treatment, language: str | None = None, *,
                    wordings: Mapping[int, TreatmentWording] | None = None) -> TreatmentWords:
    """The treatment's name and description in ``language`` (default: the active one); ``wordings`` (from
    ``treatment_wordings``) saves the query."""
    language = active_language(language)
    found = None
    if wordings is not None:
        found = wordings.get(treatment.pk)
    elif language != ENGLISH and treatment.pk is not None:
        found = _cached(treatment, language,
                        lambda: TreatmentWording.objects.filter(treatment=treatment, language=language).first())
    return TreatmentWords(name=_translated(treatment.name, found and found.name),
                          description=_translated(treatment.description, found and found.description))


def clinic_texts(profile: ClinicSettings, language: str | None = None) -> ClinicTexts:
    """The profile's pre-care, aftercare and cancellation texts in ``language`` (default: the active one)."""
    language = active_language(language)
    found = None
    if language != ENGLISH:
        found = _cached(profile, language, lambda: ClinicWording.objects.filter(language=language).first())
    return ClinicTexts(**{name: _translated(getattr(profile, name), found and getattr(found, name))
                          for name in CLINIC_TEXT_FIELDS})
