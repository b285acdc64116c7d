"""ISO 8601 calendar durations (`P1Y`, `P6M`, `P2Y6M`, `P4W`, `P30D`) as months and days.

Retention periods are calendar arithmetic: months are added first, then days, so a period
keeps the meaning "one year later" across leap years. Weeks are seven days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Duration:
    text: str
    months: int
    days: int


def parse_duration(text: str) -> Duration:
    """Parse a calendar duration; time parts (`PT12H`) have no place in a retention period."""
    cleaned = str(text).strip().upper()
    match = _PATTERN.match(cleaned)
    if not match or cleaned == "P":
        raise ValueError(
            f"{text!r} is not an ISO 8601 duration of years, months, weeks and days "
            "(e.g. P30D, P6M, P1Y, P2Y6M, P4W)"
        )
    years, months, weeks, days = (int(part) if part else 0 for part in match.groups())
    return Duration(text=cleaned, months=years * 12 + months, days=weeks * 7 + days)
