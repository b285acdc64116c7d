"""Calendar helpers shared by the generators: all dates are UTC and relative to the as-of date."""

from __future__ import annotations

import datetime as dt


def nth_business_day_after(start: dt.date, business_days: int) -> dt.date:
    """The N-th Monday-Friday strictly after `start` (the unsubscribe due date)."""
    day = start
    remaining = business_days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def previous_weekday(day: dt.date, weekday: int) -> dt.date:
    """The latest date on or before `day` that falls on `weekday` (0 = Monday)."""
    return day - dt.timedelta(days=(day.weekday() - weekday) % 7)


def iso_utc(day: dt.date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00Z"
