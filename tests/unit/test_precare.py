"""Personal pre-care read back from the default rules' windows (pure: no database)."""

from __future__ import annotations

from datetime import date, timedelta

from screening.questionnaire.defaults import QUESTIONS, RULES, baseline_answers
from screening.rules import pre_care, screen_answers

THURSDAY = date(2026, 1, 15)


def _lines(day: date = THURSDAY, treatment: str = "face") -> dict[str, str]:
    return {line.question: line.sentence() for line in pre_care(RULES, treatment=treatment, appointment=day)}


def test_the_retinoid_and_peel_windows_read_back_from_the_appointment():
    lines = _lines()
    assert lines["retinoid_last_used"] == "Stop your retinol or other retinoid creams after Saturday 10 January"
    assert lines["peel_or_laser_last_date"] == "No peel, laser or IPL after Thursday 1 January"
    assert lines["last_microneedling_date"] == "No other microneedling after Thursday 18 December"
    assert "isotretinoin_last_taken" not in lines  # a prescribed medicine: the doctor's to stop, not ours


def test_each_last_day_is_exactly_the_last_the_rules_allow():
    """Doing it on the last day keeps the appointment; a day later puts it off (the engine agrees)."""
    for line in pre_care(RULES, treatment="face", appointment=THURSDAY):
        for day, expected in ((line.last_day, "eligible"), (line.last_day + timedelta(days=1), "deferred")):
            answers = {**{k: v.isoformat() if isinstance(v, date) else v
                          for k, v in baseline_answers(THURSDAY - timedelta(days=1)).items()},
                       line.question: day.isoformat()}
            result = screen_answers(answers, rules=RULES, questions=QUESTIONS, treatment="face", on_date=THURSDAY,
                                    today=THURSDAY)
            fired = {f.rule for f in result.flags}
            assert (line.rule in fired) == (expected == "deferred"), (line, day, result.outcome)


def test_the_lines_follow_the_appointment_when_it_moves():
    moved = THURSDAY + timedelta(days=7)
    assert _lines(moved)["retinoid_last_used"] == "Stop your retinol or other retinoid creams after Saturday 17 January"


def test_only_defer_and_block_windows_of_the_treatment_count_and_a_plain_rule_is_named():
    rules = [
        {"code": "R1", "name": "Sauna recently", "severity": "defer", "treatments": [], "match": "all",
         "conditions": [{"question": "sauna_last", "op": "within_days", "value": 2}]},
        {"code": "R2", "name": "Info only", "severity": "info", "treatments": [], "match": "all",
         "conditions": [{"question": "x_last", "op": "within_days", "value": 9}]},
        {"code": "R3", "name": "Scalp only", "severity": "defer", "treatments": ["scalp"], "match": "all",
         "conditions": [{"question": "y_last", "op": "within_days", "value": 9}]},
        {"code": "R4", "name": "Two answers", "severity": "defer", "treatments": [], "match": "all",
         "conditions": [{"question": "z_last", "op": "within_days", "value": 9},
                        {"question": "z_kind", "op": "is_true"}]},
    ]
    [line] = pre_care(rules, treatment="face", appointment=THURSDAY)
    assert line.sentence() == "Not: Sauna recently after Tuesday 13 January"


def test_a_last_day_already_behind_today_is_said_without_a_past_date():
    rules = [{"code": "R1", "name": "Peel", "severity": "defer", "treatments": [], "match": "all",
              "conditions": [{"question": "peel_or_laser_last_date", "op": "within_days", "value": 14}]}]
    [line] = pre_care(rules, treatment="face", appointment=THURSDAY)  # last day: Thursday less 14 days
    assert line.sentence(today=line.last_day) == f"No peel, laser or IPL after {line.last_day:%A} {line.last_day.day} {line.last_day:%B}"
    assert line.sentence(today=line.last_day + timedelta(days=1)) == "No peel, laser or IPL before your appointment"
