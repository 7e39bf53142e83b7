"""What the clinic holds about a patient, as the patient may read and download it.

The patient reaches it through their own session (their link): it covers the
intakes this session holds that share the intake's email (case-insensitive),
never other intakes with that email, because a session is granted an intake
as soon as someone starts it with any address. It lives in booking because
it shows bookings, and booking sits above intake and the outbox.

Every view and download writes an audit line per intake shown, in the read's
transaction, with nothing about the patient's health in it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import translation

from screening.audit.log import Actor, audit_log
from screening.audit.models import AuditAction
from screening.booking.data_words import (
    BOOKING_STATUS,
    CHANNEL,
    INTAKE_STATUS,
    MESSAGE_STATUS,
    RESULT,
    answer_words,
    word,
)
from screening.booking.models import Booking
from screening.core.clinic import booking_zone, clinic_zone
from screening.core.log_filters import redact
from screening.core.wordings import treatment_words
from screening.intake.access import SESSION_KEY, granted_before_revocation
from screening.intake.models import Flag, Intake, PatientQuestion, Screening
from screening.intake.patient_messages import flag_messages
from screening.outbox.models import Message
from screening.questionnaire.models import Question
from screening.questionnaire.wordings import Wordings, wordings


def patient_intakes(request: HttpRequest, intake: Intake) -> list[Intake]:
    """The intakes this session may open that belong to the same patient as ``intake`` (same email)."""
    granted = [str(k) for k in request.session.get(SESSION_KEY, [])]
    qs = Intake.objects.select_related("treatment").filter(public_id__in=granted).order_by("created_at", "id")
    email = intake.email.lower()
    mine = [i for i in qs if i.pk == intake.pk or (email and i.email.lower() == email)]
    return [i for i in mine if not granted_before_revocation(request, i)]


def as_json(value: Any) -> str:
    """Dates and times in the download, as ISO 8601 (times in UTC, as stored)."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def patient_data(*, intakes: list[Intake], actor: Actor, download: bool) -> dict[str, Any]:
    """Everything held about the patient in ``intakes``, audited in the same transaction as the read.

    The page reads it in the active language (the patient's); the download is in
    English, the clinic's language, with the answers' codes beside their words."""
    with transaction.atomic():
        action = AuditAction.DATA_DOWNLOADED if download else AuditAction.DATA_VIEWED
        for intake in intakes:
            audit_log(action=action, actor=actor, target=intake, intake_id=intake.pk)
        clinic = clinic_zone()
        with translation.override("en-gb" if download else translation.get_language()):
            words = wordings(translation.get_language() or "en")
            questions = {q.code: q for q in Question.objects.all()}
            return {"intakes": [_intake(intake, questions, words, clinic) for intake in _with_records(intakes)]}


def _with_records(intakes: list[Intake]) -> list[Intake]:
    screenings = Screening.objects.prefetch_related(Prefetch("flags", queryset=Flag.objects.order_by("id")))
    return list(
        Intake.objects.filter(pk__in=[i.pk for i in intakes]).select_related("treatment")
        .prefetch_related(Prefetch("screenings", queryset=screenings.order_by("created_at", "id")),
                          Prefetch("bookings", queryset=Booking.objects.select_related("practitioner__location")
                                   .order_by("start", "id")),
                          Prefetch("staff_questions", queryset=PatientQuestion.objects.order_by("asked_at", "id")))
        .order_by("created_at", "id")
    )


def _answers(intake: Intake, questions: dict[str, Question], words: Wordings) -> list[dict[str, Any]]:
    return [{"question": words.label(questions[code]) if code in questions else code, "code": code,
             "answer": answer_words(questions.get(code), value, words), "value": value}
            for code, value in intake.answers.items()]


def _intake(intake: Intake, questions: dict[str, Question], words: Wordings, clinic: ZoneInfo) -> dict[str, Any]:
    messages = Message.objects.filter(intake_id=intake.pk).order_by("created_at", "id")
    return {
        "reference": str(intake.public_id),
        "treatment": treatment_words(intake.treatment).name,
        "status": word(INTAKE_STATUS, intake.status, intake.get_status_display()),
        "started": intake.created_at,
        "sent": intake.submitted_at,
        "name": f"{intake.first_name} {intake.last_name}".strip(),
        "email": intake.email,
        "answers": _answers(intake, questions, words),
        "screenings": [{
            "on": s.created_at, "for_date": s.on_date, "result": word(RESULT, s.outcome, s.get_outcome_display()),
            "eligible_from": s.eligible_from,
            "messages": flag_messages(s, s.flags.all(), language=translation.get_language() or "en"),
        } for s in intake.screenings.all()],
        "bookings": [{
            "start": b.start, "end": b.end, "status": word(BOOKING_STATUS, b.status, b.get_status_display()),
            "practitioner": b.practitioner.name, "email": b.patient_email, "text_reminders_to": b.sms_phone,
            "time_zone": str(booking_zone(b, default=clinic)),  # the zone its time is read in: its location's
        } for b in intake.bookings.all()],
        "questions_from_the_clinic": [{
            "asked": q.asked_at, "question": q.text, "answered": q.answered_at, "your_reply": q.reply,
        } for q in intake.staff_questions.all()],
        "messages_sent_to_you": [{
            "written": m.created_at, "by": word(CHANNEL, m.channel, m.get_channel_display()), "to": m.recipient,
            "subject": m.subject, "message": redact(m.body),
            "status": word(MESSAGE_STATUS, m.status, m.get_status_display()),
        } for m in messages],
    }
