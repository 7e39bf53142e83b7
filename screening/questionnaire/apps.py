from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    """Steps, questions, versions, rules and their revisions, drafts, import/export."""

    name = "screening.questionnaire"
    label = "questionnaire"
    verbose_name = "Questionnaire and rules"
    default_auto_field = "django.db.models.BigAutoField"
