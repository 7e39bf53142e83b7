"""The words of "Your data" in the patient's language (issue 16): statuses, results and answers as they read them.

The records keep codes and the staff's English labels; here each code a patient
reads on the page has its words, marked for translation. The download is written
in English (the clinic's language) with the codes beside, as the page says.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from screening.questionnaire.models import Question, QuestionType
from screening.questionnaire.wordings import Wordings

# The English is the records' own labels (a test keeps them equal), so an English page reads as before.
INTAKE_STATUS = {"draft": gettext_lazy("Draft"), "submitted": gettext_lazy("Submitted")}
RESULT = {
    "eligible": gettext_lazy("Eligible"), "deferred": gettext_lazy("Eligible from a date"),
    "review": gettext_lazy("Needs review"), "not_suitable": gettext_lazy("Not suitable"),
    "incomplete": gettext_lazy("Incomplete"),
}
BOOKING_STATUS = {
    "held": gettext_lazy("Held (provisional, awaiting review)"), "confirmed": gettext_lazy("Confirmed"),
    "cancelled": gettext_lazy("Cancelled"), "released": gettext_lazy("Released"),
    "expired": gettext_lazy("Hold expired"), "moved": gettext_lazy("Moved to another time"),
    "completed": gettext_lazy("Session done"), "no_show": gettext_lazy("Did not come"),
}
CHANNEL = {"email": gettext_lazy("Email"), "sms": gettext_lazy("Text message")}
MESSAGE_STATUS = {
    "queued": gettext_lazy("Waiting to be sent"), "sending": gettext_lazy("Being sent"),
    "retrying": gettext_lazy("Not sent yet: trying again"), "sent": gettext_lazy("Sent"),
    "failed": gettext_lazy("Not sent"),
}


def word(words: Mapping[str, Any], code: str, english: str) -> str:
    """The patient's word for ``code``; a code without one (added later) is the English label."""
    found = words.get(code)
    return str(found) if found is not None else english


def answer_words(question: Question | None, value: Any, words: Wordings) -> str:
    """An answer as the patient reads it: yes or no, the choices' labels, a date in their language."""
    if value is True or value is False:
        return _("Yes") if value else _("No")
    if value is None:
        return ""
    if question is not None and question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        labels = dict(words.choices(question))
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if question is not None and question.type == QuestionType.DATE and isinstance(value, str):
        return _date_words(value)
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _date_words(value: str) -> str:
    try:
        if len(value) == 7:  # a month answer: "2026-11"
            return date_format(date.fromisoformat(f"{value}-01"), _("F Y"))
        return date_format(date.fromisoformat(value), _("j F Y"))
    except ValueError:
        return value
