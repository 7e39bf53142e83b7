"""What a screening tells the patient, in their language: each flag's message, the clinic's translation
filled in that language, else the English the screening wrote (issue 16)."""

from __future__ import annotations

from collections.abc import Sequence

from screening.core.clinic import clinic_today
from screening.intake.models import Flag, Screening
from screening.questionnaire.selectors import live_questionnaire
from screening.questionnaire.wordings import wordings
from screening.rules import AnswerError, parse_answers


def flag_messages(screening: Screening | None, flags: Sequence[Flag], *, language: str) -> list[str]:
    """The patient's messages of a screening's flags (not the notes for staff), once each, in order."""
    words = wordings(language)
    shown = [flag for flag in flags if flag.severity != "info"]
    specs, answers = {}, {}
    if words.rules and shown and screening is not None:
        questionnaire = live_questionnaire()
        specs = {spec["code"]: spec for spec in questionnaire.rule_specs}
        evidence_codes = {code for flag in shown for code in flag.evidence if code in screening.answers}
        try:
            answers = parse_answers({code: screening.answers[code] for code in evidence_codes},
                                    questionnaire.question_specs, today=clinic_today())
        except AnswerError:
            answers = {}  # an answer the questionnaire no longer reads: no {last_date}, the rest still fills
    messages: list[str] = []
    for flag in shown:
        text = words.patient_message(rule_spec=specs.get(flag.rule_code), english=flag.patient_message,
                                     answers=answers, evidence=flag.evidence or {}, stops=flag.eligible_from)
        if text not in messages:
            messages.append(text)
    return messages
