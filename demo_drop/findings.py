"""A finding as findings.json carries it; the generators declare the ones they plant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from demo_drop.catalogue import audit_checks


@dataclass(frozen=True)
class Finding:
    check: str
    subject: tuple[str, ...]  # values in the order of the check's subject keys
    count: int
    message: str

    def __post_init__(self) -> None:
        _, keys = audit_checks()[self.check]
        if len(keys) != len(self.subject):
            raise ValueError(f"{self.check} takes subject {keys}, got {self.subject}")

    def sort_key(self) -> tuple[str, tuple[str, ...]]:
        return (self.check, self.subject)

    def as_json(self) -> dict[str, Any]:
        severity, keys = audit_checks()[self.check]
        return {
            "check": self.check,
            "severity": severity,
            "subject": dict(zip(keys, self.subject, strict=True)),
            "count": self.count,
            "message": self.message,
        }


def counted(count: int, noun: str) -> str:
    """`1 erasure request`, `1,234 erasure requests`."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
