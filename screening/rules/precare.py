"""Personal pre-care: the last day before an appointment that each date window of the rules allows.

A rule that puts a treatment off while a date answer is recent ("a peel
within 14 days") says, read backwards from the appointment, until when the
patient may still do it: the appointment date less the window. Pure: rule
specs in (docs/engine-contract.md), plain lines out, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

#: How a patient would say what each default date question is about, as an instruction ("... after <day>").
#: A question not listed is named by its rule.
PHRASES = {
    "retinoid_last_used": "Stop your retinol or other retinoid creams",
    "peel_or_laser_last_date": "No peel, laser or IPL",
    "deep_resurfacing_last_date": "No deep resurfacing (deep peel, ablative laser)",
    "toxin_last_date": "No anti-wrinkle injections",
    "filler_last_date": "No filler injections",
    "last_microneedling_date": "No other microneedling",
}
#: Prescribed medicines and treatments are the patient's doctor's to stop, never a pre-care instruction (and
#: naming them in an email would tell its reader about the patient's health).
NOT_PRE_CARE = frozenset({"isotretinoin_last_taken", "radiation_last_date"})
#: The severities whose windows a patient can keep clear of: the ones that move or stop the appointment.
WINDOW_SEVERITIES = ("defer", "block")


@dataclass(frozen=True)
class PreCare:
    """One instruction: ``text`` after ``last_day`` (the last day it may still happen)."""

    rule: str
    question: str
    text: str
    last_day: date

    def sentence(self, *, today: date | None = None) -> str:
        """The instruction in words; once ``last_day`` is behind ``today`` a date would read as past, so none."""
        if today is not None and self.last_day < today:
            return f"{self.text} before your appointment"
        return f"{self.text} after {self.last_day:%A} {self.last_day.day} {self.last_day:%B}"


def pre_care(rules: list[dict], *, treatment: str, appointment: date) -> list[PreCare]:
    """The instructions for an appointment on ``appointment``, soonest last day first; one per question.

    Read from each active defer or block rule for the treatment whose
    conditions are "within N days" of a date answer (under "all", a rule of
    one condition; under "any", each condition): the answer is allowed up to
    ``appointment - N days`` (the rule stops firing at answer + N days).
    Where two rules window the same question, the longer window wins.
    """
    latest: dict[str, PreCare] = {}
    for rule in rules:
        if rule.get("severity") not in WINDOW_SEVERITIES or rule.get("active") is False:
            continue
        if rule.get("treatments") and treatment not in rule["treatments"]:
            continue
        conditions = [c for c in rule.get("conditions") or () if isinstance(c, dict)]
        if rule.get("match", "all") == "all" and len(conditions) != 1:
            continue  # a window that holds only with other answers is no instruction for everyone
        for condition in conditions:
            days = condition.get("value")
            if condition.get("op") != "within_days" or not isinstance(days, int) or days < 1:
                continue
            code = condition.get("question", "")
            if code in NOT_PRE_CARE:
                continue
            line = PreCare(rule=rule.get("code", ""), question=code,
                           text=PHRASES.get(code) or f"Not: {rule.get('name') or code}",
                           last_day=appointment - timedelta(days=days))
            if code not in latest or line.last_day < latest[code].last_day:
                latest[code] = line
    return sorted(latest.values(), key=lambda line: (line.last_day, line.question))
