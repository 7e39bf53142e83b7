"""Reads for the patient's pages."""

from __future__ import annotations

from django.db.models import QuerySet

from screening.intake.models import Intake, PatientQuestion
from screening.questionnaire.models import Step
from screening.questionnaire.selectors import questionnaire_key_annotations, steps_with_questions


def intakes_with_questionnaire_key() -> QuerySet[Intake]:
    """Intakes (with their treatment) annotated with the live questionnaire's key: no query of its own."""
    return Intake.objects.select_related("treatment").annotate(**questionnaire_key_annotations())


# Steps holding these stay as they were: contact details and consent are not
# what a clinician's question is about.
_NOT_UPDATABLE = {"first_name", "last_name", "email", "date_of_birth", "consent_signature"}


def steps_patient_can_update() -> list[Step]:
    return [
        step for step in steps_with_questions()
        if not any(q.must_be_true or q.code in _NOT_UPDATABLE for q in step.questions.all())
    ]


def open_question_for(*, intake: Intake) -> PatientQuestion | None:
    return PatientQuestion.objects.filter(intake=intake, answered_at__isnull=True, closed_at__isnull=True).first()
