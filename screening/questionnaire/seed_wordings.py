"""Install the default questionnaire's Spanish beside the English (issue 16).

Takes the model classes as arguments, as ``seed.install_defaults`` does, so the
data migration passes its historical models and ``seed_demo`` the real ones.
Idempotent, and matched by code: a step, question or rule the clinic removed
gets nothing, and a translation already there (edited by the clinic) is kept.
"""

from __future__ import annotations

from screening.questionnaire.default_wordings_es import (
    CLINIC_TEXTS_ES,
    QUESTIONS_ES,
    RULES_ES,
    STEPS_ES,
    TREATMENTS_ES,
)


def install_wordings(*, Step, Question, Rule, StepWording, QuestionWording, RuleWording) -> dict[str, int]:
    created = {"steps": 0, "questions": 0, "rules": 0}
    for step in Step.objects.filter(number__in=STEPS_ES):
        title, intro = STEPS_ES[step.number]
        created["steps"] += StepWording.objects.get_or_create(
            step=step, language="es", defaults={"title": title, "intro": intro})[1]
    for question in Question.objects.filter(code__in=QUESTIONS_ES):
        words = QUESTIONS_ES[question.code]
        created["questions"] += QuestionWording.objects.get_or_create(
            question=question, language="es",
            defaults={"label": words["label"], "help_text": words.get("help_text", ""),
                      "never_label": words.get("never_label", ""),
                      "choice_labels": dict(words.get("choice_labels", {}))})[1]
    for rule in Rule.objects.filter(code__in=RULES_ES):
        created["rules"] += RuleWording.objects.get_or_create(
            rule=rule, language="es", defaults={"patient_message": RULES_ES[rule.code]})[1]
    return created


def install_clinic_wordings(*, Treatment, TreatmentWording, ClinicSettings, ClinicWording) -> dict[str, int]:
    """The default treatments' and clinic texts' Spanish, where the English is still the default's.

    A treatment the clinic renamed, or a text it rewrote, gets nothing: a Spanish
    default beside other English would say something else. A Spanish row already
    there is kept; an empty field of it is filled only while the English is the default.
    """
    created = {"treatments": 0, "clinic_texts": 0}
    for treatment in Treatment.objects.filter(code__in=TREATMENTS_ES):
        english, name, description = TREATMENTS_ES[treatment.code]
        if treatment.name == english:
            created["treatments"] += TreatmentWording.objects.get_or_create(
                treatment=treatment, language="es", defaults={"name": name, "description": description})[1]
    profile = ClinicSettings.objects.filter(pk=1).first()
    spanish = {field: words for field, (english, words) in CLINIC_TEXTS_ES.items()
               if (getattr(profile, field) if profile else _model_default(ClinicSettings, field)) == english}
    if spanish:
        row, new = ClinicWording.objects.get_or_create(language="es", defaults=spanish)
        blanks = {} if new else {field: words for field, words in spanish.items() if not getattr(row, field).strip()}
        if blanks:
            ClinicWording.objects.filter(pk=row.pk).update(**blanks)
        created["clinic_texts"] += new
    return created


def _model_default(model, field: str) -> str:
    default = model._meta.get_field(field).default
    return default() if callable(default) else default
