"""Install the default questionnaire's Spanish beside the English (issue 16).

Takes the model classes as arguments, as ``seed.install_defaults`` does, so the
data migration passes its historical models and ``seed_demo`` the real ones.
Idempotent, and matched by code: a step, question or rule the clinic removed
gets nothing, and a translation already there (edited by the clinic) is kept.
"""

from __future__ import annotations

from screening.questionnaire.default_wordings_es import QUESTIONS_ES, RULES_ES, STEPS_ES


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
