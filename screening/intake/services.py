"""The patient's intake: start, save a step, submit (screen and snapshot)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import rules
from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.core.clinic import clinic_today
from screening.core.language import known_language
from screening.core.models import Treatment
from screening.intake import notify
from screening.intake.links import link_issue
from screening.intake.models import AccessLink, Intake, PatientQuestion, Screening
from screening.intake.review import review_state_for
from screening.intake.screenings import answers_change, record_screening
from screening.patients.services import patient_for_intake
from screening.questionnaire.models import QuestionKind
from screening.questionnaire.selectors import Questionnaire, live_questionnaire

#: The intake's contact details, copied from the answers to the questions of these kinds
#: (for staff search and for email): kind -> the intake's field.
CONTACT_FIELDS = {QuestionKind.EMAIL: "email", QuestionKind.FIRST_NAME: "first_name",
                  QuestionKind.LAST_NAME: "last_name"}


class IntakeError(Exception):
    """A patient-facing refusal; the message is safe to show."""


def intake_start(*, treatment: Treatment, language: str = "en") -> Intake:
    if not treatment.active:
        raise IntakeError(_("That treatment is not offered at the moment."))
    from screening.questionnaire.admin_selectors import current_questionnaire_version

    return Intake.objects.create(treatment=treatment, questionnaire_version=current_questionnaire_version(),
                                 language=known_language(language))


def intake_language_set(*, public_ids: list[str], language: str) -> int:
    """The patient chose a language: their intakes in this session use it from now on. Returns how many."""
    with transaction.atomic():
        return Intake.objects.filter(public_id__in=public_ids).update(language=known_language(language))


def intake_save_step(
    *, intake: Intake, step_number: int, answers: dict, hidden: list[str] = (), complete: bool = True,
    questionnaire: Questionnaire | None = None,
) -> Intake:
    """Merge one step's answers into the draft; mark the step completed.

    ``hidden`` are questions of the step that are not shown (their show-when
    condition is false): their old answers are dropped, so a "yes" changed to
    "no" does not leave a stale detail behind.

    The draft as the caller read it is merged and written back in one
    statement, on condition that it is still a draft nobody has saved since
    (its ``updated_at``): no answer saved meanwhile (another tab) is lost. If
    it was saved meanwhile, or the email address changes (a resume link is
    issued with it), the draft is locked, read again and merged in a
    transaction instead.
    """
    contact = _contact_codes(questionnaire or live_questionnaire())
    fields = _merged_fields(intake, step_number=step_number, answers=answers, hidden=hidden, complete=complete,
                            contact=contact)
    if not intake.is_submitted and not _email_changed(intake, fields):
        if _write_if_unchanged(intake, fields):
            return intake
    with transaction.atomic():
        intake = _locked(intake)
        if intake.is_submitted:
            raise IntakeError(_("These answers have already been sent to the clinic."))
        old_email = _merge_step(intake, step_number=step_number, answers=answers, hidden=hidden, complete=complete,
                                contact=contact)
        _save(intake, old_email)
    return intake


@dataclass(frozen=True)
class Finished:
    """What the last step's Next did: sent (``back_to`` None), or a step still missing an answer."""

    intake: Intake
    back_to: int | None


@transaction.atomic
def intake_finish(
    *, intake: Intake, step_number: int, answers: dict, hidden: list[str] = (),
    questionnaire: Questionnaire | None = None, today: date | None = None,
) -> Finished:
    """Save the last step and send the answers, in one transaction.

    As ``intake_save_step`` then ``intake_submit``, with the intake written
    once and the rules run once: when a required answer is missing on a step
    the patient can go back to, the step is saved and nothing is sent
    (``back_to`` is that step's number); otherwise the intake is screened and
    submitted (an answer missing from no step fails closed: "incomplete").
    As in ``intake_save_step``, the draft as the caller read it is written on
    condition nobody saved it since; if someone did (or the email changes),
    it is locked and read again instead. ``today`` is the clinic's date (read here unless given).
    """
    questionnaire = questionnaire or live_questionnaire()
    questions, rule_specs = questionnaire.rule_data
    today = today or clinic_today()
    contact = _contact_codes(questionnaire)
    fields = _merged_fields(intake, step_number=step_number, answers=answers, hidden=hidden, complete=True,
                            contact=contact)
    if not intake.is_submitted and not _email_changed(intake, fields):
        result = rules.screen_answers(fields["answers"], rules=rule_specs, questions=questions,
                                      treatment=intake.treatment.code, on_date=today)
        back = questionnaire.step_of(result.missing) if result.missing else None
        if back is None:
            fields.update(status=Intake.Status.SUBMITTED, submitted_at=timezone.now(), outcome=result.outcome,
                          eligible_from=result.eligible_from, review_state=review_state_for(outcome=result.outcome),
                          patient=_patient_of(intake, fields, questionnaire))
        if _write_if_unchanged(intake, fields):
            if back is not None:
                return Finished(intake, back.number)
            _record_submit(intake, result, today)
            return Finished(intake, None)
    made = fields.get("patient")  # a record made for a write that lost the race (someone saved the draft)
    intake = _locked(intake)
    if intake.is_submitted:
        raise IntakeError(_("These answers have already been sent to the clinic."))
    old_email = _merge_step(intake, step_number=step_number, answers=answers, hidden=hidden, complete=True,
                            contact=contact)
    result = rules.screen_answers(intake.answers, rules=rule_specs, questions=questions,
                                  treatment=intake.treatment.code, on_date=today)
    back = questionnaire.step_of(result.missing) if result.missing else None
    if back is not None:
        if made is not None and made.pk and not made.intakes.exists():
            made.delete()
        _save(intake, old_email)
        return Finished(intake, back.number)
    if intake.patient_id is None and made is not None:
        intake.patient = made
    _submit_screened(intake, result, today, old_email, questionnaire)
    return Finished(intake, None)


@transaction.atomic
def intake_submit(*, intake: Intake, questionnaire: Questionnaire | None = None) -> Intake:
    """Screen the answers and store the outcome; a second submit is a no-op."""
    intake = _locked(intake)
    if intake.is_submitted:
        return intake
    questionnaire = questionnaire or live_questionnaire()
    questions, rule_specs = questionnaire.rule_data
    today = clinic_today()
    result = rules.screen_answers(intake.answers, rules=rule_specs, questions=questions,
                                  treatment=intake.treatment.code, on_date=today)
    _submit_screened(intake, result, today, intake.email, questionnaire)
    return intake


def _write_if_unchanged(intake: Intake, fields: dict) -> bool:
    """Write ``fields`` to the draft in one statement if nobody saved it since it was read; update ``intake``."""
    now = timezone.now()
    written = Intake.objects.filter(
        pk=intake.pk, status=Intake.Status.DRAFT, updated_at=intake.updated_at
    ).update(**fields, updated_at=now)
    if written:
        for name, value in fields.items():
            setattr(intake, name, value)
        intake.updated_at = now
    return bool(written)


def _locked(intake: Intake) -> Intake:
    """The intake read again and locked (its row only: not the treatment it is read with)."""
    return Intake.objects.select_for_update(of=("self",)).select_related("treatment").get(pk=intake.pk)


def _contact_codes(questionnaire: Questionnaire) -> dict[str, str]:
    """The intake's contact fields by the code of the question that fills each."""
    kinds = questionnaire.code_of_kind
    return {kinds[kind]: name for kind, name in CONTACT_FIELDS.items() if kind in kinds}


def _merged_fields(intake: Intake, *, step_number: int, answers: dict, hidden, complete: bool,
                   contact: dict[str, str]) -> dict:
    """The intake's fields once a step's answers are merged in (the intake is not changed)."""
    merged = {**intake.answers, **answers}
    for code in hidden:
        merged.pop(code, None)
    fields = {"answers": merged}
    for code, name in contact.items():
        if code in answers:
            fields[name] = str(answers[code] or "")[: Intake._meta.get_field(name).max_length]
    if complete:
        fields["completed_step"] = max(intake.completed_step, step_number)
    return fields


def _email_changed(intake: Intake, fields: dict) -> bool:
    email = fields.get("email", intake.email)
    return bool(email) and email != intake.email


def _merge_step(intake: Intake, *, step_number: int, answers: dict, hidden, complete: bool,
                contact: dict[str, str]) -> str:
    """Merge a step's answers into the locked intake (not saved); returns the email it had."""
    old_email = intake.email
    fields = _merged_fields(intake, step_number=step_number, answers=answers, hidden=hidden, complete=complete,
                            contact=contact)
    for name, value in fields.items():
        setattr(intake, name, value)
    return old_email


def _save(intake: Intake, old_email: str) -> None:
    """Save the intake; a new email address gets a resume link, through the outbox."""
    intake.save()
    if intake.email and intake.email != old_email:
        token = link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
        notify.queue_resume_link(intake, token)


def _submit_screened(intake: Intake, result, today, old_email: str, questionnaire: Questionnaire) -> None:
    """Mark the locked intake sent with this screening's outcome, snapshot it, email a receipt.

    A draft has no booking, question or decision yet: its review state follows from the outcome alone.
    """
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = timezone.now()
    intake.outcome = result.outcome
    intake.eligible_from = result.eligible_from
    intake.review_state = review_state_for(outcome=result.outcome)
    if intake.patient_id is None:
        intake.patient = _patient_of(intake, {}, questionnaire)
    _save(intake, old_email)
    _record_submit(intake, result, today)


def _record_submit(intake: Intake, result, today) -> None:
    """The submitted intake's snapshot, and its receipt (with a fresh link) in the outbox."""
    record_screening(
        intake, result, reason=Screening.Reason.SUBMIT, on_date=today, answers=intake.answers
    )
    token = link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
    notify.queue_receipt(intake, token)


def _patient_of(intake: Intake, fields: dict, questionnaire: Questionnaire):
    """The patient of the intake about to be sent (with ``fields`` about to be written): found or made."""
    if intake.patient_id is not None:  # a returning patient's intake is made for its patient
        return intake.patient
    answers = fields.get("answers", intake.answers)
    code = questionnaire.code_of_kind.get(QuestionKind.DATE_OF_BIRTH)
    return patient_for_intake(
        email=fields.get("email", intake.email), verified_email=intake.verified_email,
        date_of_birth=_as_date(answers.get(code)) if code else None,
        first_name=fields.get("first_name", intake.first_name), last_name=fields.get("last_name", intake.last_name),
    )


def _as_date(value) -> date | None:
    """An answer of a date question as a date (answers are stored as ISO strings); None if it is not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def intake_missing(intake: Intake, questionnaire: Questionnaire | None = None) -> list[str]:
    """Required questions still unanswered, for routing the patient back."""
    questions, rule_specs = (questionnaire or live_questionnaire()).rule_data
    today = clinic_today()
    result = rules.screen_answers(intake.answers, rules=rule_specs, questions=questions,
                                  treatment=intake.treatment.code, on_date=today)
    return list(result.missing)


# --- the patient's answer ----------------------------------------------------------


def intake_update_answers(*, intake_id: int, question_id: int, answers: dict, hidden: Sequence[str] = (),
                          reply: str = "", actor: Actor | None = None,
                          now: datetime | None = None) -> Screening:
    """The patient answers a clinician's question: new answers, screened again, back to the queue.

    The question is claimed first (a conditional update), so a double submit
    records one answer and one screening. The new screening sets the review
    state (``record_screening``): needs review again, unless nothing is left
    to review.
    """
    now = now or timezone.now()
    with transaction.atomic():
        intake = Intake.objects.select_for_update().select_related("treatment").get(pk=intake_id)
        claimed = PatientQuestion.objects.filter(
            pk=question_id, intake_id=intake.pk, answered_at__isnull=True, closed_at__isnull=True
        ).update(answered_at=now, reply=(reply or "").strip()[:2000])
        if claimed != 1:
            raise IntakeError(_("There is no question waiting for your answers: they may have been sent already."))
        today = clinic_today()  # as at submission
        merged, result = answers_change(intake, answers=answers, hidden=hidden, on_date=today)
        screening = record_screening(intake, result, reason=Screening.Reason.ANSWERS_UPDATED,
                                     on_date=today, answers=merged, update_intake=True)
        PatientQuestion.objects.filter(pk=question_id).update(answer_screening=screening)
        audit_log(action=AuditAction.ANSWERS_UPDATED, actor=actor, target=screening, intake_id=intake.pk)
        return screening


@transaction.atomic
def links_resend(*, email: str) -> int:
    """Email fresh links for the recent intakes of an address; returns how many."""
    since = timezone.now() - timedelta(days=settings.BOOKING_INTAKE_MAX_AGE_DAYS)
    intakes = list(
        Intake.objects.filter(email__iexact=email.strip(), created_at__gte=since).order_by("-created_at")[:3]
    )
    for intake in intakes:
        token = link_issue(intake=intake, purpose=AccessLink.Purpose.RESUME)
        notify.queue_resume_link(intake, token)
    return len(intakes)
