"""The patient's other languages beside the English on a set-up form (issue 16).

A form that mixes in ``Translated`` gets, right after each English field named
in ``translated``, one field per other language ("name_es", "Name in Spanish"),
filled with the clinic's translation. Left empty, patients in that language read
the English. The service saves the English and the translations in one
transaction (``services.translations_save``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django import forms
from django.db import models
from django.utils.translation import get_language_info

from screening.core.wording_models import translated_languages


def translation_name(field: str, code: str) -> str:
    return f"{field}_{code}"


class Translated:
    """A mixin for a ModelForm; call ``add_translations`` at the end of ``__init__``."""

    translated: Sequence[str] = ()

    def add_translations(self, wording_model: type[models.Model], rows: Iterable[models.Model]) -> None:
        by_language = {row.language: row for row in rows}
        fields = {}
        for name, field in self.fields.items():
            fields[name] = field
            if name not in self.translated:
                continue
            for code, _native in translated_languages():
                fields[translation_name(name, code)] = self._translation_field(
                    field, wording_model._meta.get_field(name), code, getattr(by_language.get(code), name, ""))
        self.fields = fields

    @staticmethod
    def _translation_field(english: forms.Field, model_field: models.Field, code: str, initial: str) -> forms.Field:
        language = get_language_info(code)["name"]
        widget = forms.Textarea(attrs={"rows": 3, "lang": code}) if isinstance(english.widget, forms.Textarea) \
            else forms.TextInput(attrs={"lang": code})
        return forms.CharField(
            label=f"{english.label} in {language}", required=False, initial=initial, widget=widget,
            max_length=model_field.max_length, strip=True,
            help_text=f"What patients who read {language} see. Empty: they read the English.")

    def field_names(self, english: Sequence[str]) -> list[str]:
        """``english`` with each translated field's other languages right after it (for a page in parts)."""
        return [name for field in english for name in (field, *self._languages_of(field))]

    def _languages_of(self, field: str) -> list[str]:
        return [translation_name(field, code) for code, _n in translated_languages()] if field in self.translated \
            else []

    def model_data(self) -> dict:
        """The cleaned English fields, for the model itself."""
        others = {translation_name(f, code) for f in self.translated for code, _n in translated_languages()}
        return {name: value for name, value in self.cleaned_data.items() if name not in others}

    def translations(self) -> dict[str, dict[str, str]]:
        """{language: {field: text}} as typed (an empty text: that field shows the English)."""
        return {code: {field: self.cleaned_data.get(translation_name(field, code), "") for field in self.translated}
                for code, _n in translated_languages()}


def translations_save(wording_model: type[models.Model], owner: Mapping[str, object],
                      translations: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Write each language's row (``owner`` names what it translates, e.g. {"treatment": t}); checked by the
    model; returns the languages whose words changed, for the audit line. The caller holds the transaction."""
    changed = []
    for code, words in translations.items():
        row = wording_model.objects.filter(**owner, language=code).first() or wording_model(**owner, language=code)
        if (not any(words.values())) if row._state.adding else all(getattr(row, f) == v for f, v in words.items()):
            continue  # nothing to write: no translation typed, or the same words
        for field, value in words.items():
            setattr(row, field, value)
        row.full_clean()
        row.save()
        changed.append(code)
    return changed
