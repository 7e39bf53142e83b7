"""A rule's window in a manager's words: a number of days, weeks or months, stored as days.

Pure Python. A month is an average month (365.25 / 12 days), the one the
messages' ``{window}`` reads back: 6 months is 183 days, 12 months 365.
"""

from __future__ import annotations

AVERAGE_MONTH = 365.25 / 12
UNITS = (("days", "days"), ("weeks", "weeks"), ("months", "months"))
_DAYS_IN = {"days": 1.0, "weeks": 7.0, "months": AVERAGE_MONTH}

__all__ = ["AVERAGE_MONTH", "UNITS", "window_days", "window_parts", "window_text"]


def window_days(number: int, unit: str) -> int:
    """``(6, "months")`` -> 183: what the rule stores."""
    if unit not in _DAYS_IN:
        raise ValueError(f"unknown unit {unit!r}")
    return round(number * _DAYS_IN[unit])


def window_parts(days: int) -> tuple[int, str]:
    """183 -> ``(6, "months")``, 14 -> ``(2, "weeks")``, 10 -> ``(10, "days")``: how the editor shows it."""
    months = round(days / AVERAGE_MONTH)
    if months >= 1 and window_days(months, "months") == days:
        return months, "months"
    if days and days % 7 == 0:
        return days // 7, "weeks"
    return days, "days"


def window_text(days: int) -> str:
    """183 -> "6 months"; 1 -> "1 day"."""
    number, unit = window_parts(days)
    return f"{number} {unit if number != 1 else unit[:-1]}"
