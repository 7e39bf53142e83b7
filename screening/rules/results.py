"""What screening returns: the flags raised and the outcome, as plain data that round-trips through JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

__all__ = ["Flag", "ScreeningResult"]


@dataclass(frozen=True)
class Flag:
    rule: str
    name: str
    severity: str
    evidence: dict[str, Any]
    eligible_from: date | None
    staff_message: str
    patient_message: str
    revision: int | None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["eligible_from"] = self.eligible_from.isoformat() if self.eligible_from else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Flag:
        """Rebuild a flag from ``to_dict()`` output (a stored snapshot)."""
        raw_date = data.get("eligible_from")
        return cls(
            rule=data["rule"],
            name=data.get("name", ""),
            severity=data["severity"],
            evidence=dict(data.get("evidence") or {}),
            eligible_from=date.fromisoformat(raw_date) if raw_date else None,
            staff_message=data.get("staff_message", ""),
            patient_message=data.get("patient_message", ""),
            revision=data.get("revision"),
            error=data.get("error"),
        )


@dataclass(frozen=True)
class ScreeningResult:
    outcome: str
    eligible_from: date | None
    missing: list[str] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``manage.py screen`` (dates as ISO strings)."""
        return {
            "outcome": self.outcome,
            "eligible_from": self.eligible_from.isoformat() if self.eligible_from else None,
            "missing": list(self.missing),
            "flags": [flag.to_dict() for flag in self.flags],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScreeningResult:
        raw_date = data.get("eligible_from")
        return cls(
            outcome=data["outcome"],
            eligible_from=date.fromisoformat(raw_date) if raw_date else None,
            missing=list(data.get("missing") or []),
            flags=[Flag.from_dict(flag) for flag in data.get("flags") or []],
        )
