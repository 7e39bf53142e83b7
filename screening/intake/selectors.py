"""Reads for the patient's pages."""

from __future__ import annotations

from django.db.models import QuerySet

from screening.core.clinic import clinic_name_column, clinic_time_zone_column
from screening.intake.models import Intake, PatientQuestion, Screening
from screening.questionnaire.models import QuestionKind, Step
from screening.questionnaire.selectors import Questionnaire, questionnaire_key_annotations


def intakes_with_questionnaire_key() -> QuerySet[Intake]:
    """Intakes (with their treatment) annotated with the live questionnaire's key, the clinic's time zone
    (``clinic_zone_name``, for the clinic's today) and its name (``clinic_name``, for the page's header):
    no query of their own."""
    return Intake.objects.select_related("treatment").annotate(
        **questionnaire_key_annotations(), clinic_zone_name=clinic_time_zone_column(),
        clinic_name=clinic_name_column())


# Steps holding these stay as they were: who the patient is, how to reach them and
# their consent are not what a clinician's question is about.
_NOT_UPDATABLE = {QuestionKind.FIRST_NAME, QuestionKind.LAST_NAME, QuestionKind.EMAIL, QuestionKind.PHONE,
                  QuestionKind.DATE_OF_BIRTH, QuestionKind.SIGNATURE}


def steps_patient_can_update(questionnaire: Questionnaire) -> list[Step]:
    return [
        step for step in questionnaire.steps
        if not any(q.must_be_true or q.kind in _NOT_UPDATABLE for q in step.questions.all())
    ]


def open_question_for(*, intake: Intake) -> PatientQuestion | None:
    return PatientQuestion.objects.filter(intake=intake, answered_at__isnull=True, closed_at__isnull=True).first()


def answer_screenings(intake_ref) -> QuerySet[Screening]:
    """An intake's screenings of its answers, latest first, for a subquery (``intake_ref``: an ``OuterRef``).

    A booking's date re-check screens the same answers for another day: it is not one of them.
    """
    return (Screening.objects.filter(intake_id=intake_ref).exclude(reason=Screening.Reason.BOOKING)
            .order_by("-created_at", "-id"))

