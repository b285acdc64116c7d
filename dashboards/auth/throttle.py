"""Failed logins: counted per user name and overall, refused for a while past a limit, logged.

Streamlit serves every session from one process, so one `Throttle` per warehouse (kept by
`st.cache_resource`) sees the failures of all sessions; a restart of the dashboard clears it.
Every attempt is logged to Python logging and appended to `<warehouse>/logs/dashboard_auth.log`
(mode 0600): time, outcome, user name and client address, never the password.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dashboards.auth.accounts import FILE_MODE, NAME_PATTERN

WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
# A guess spread over many names (password spraying) meets the overall limit instead.
MAX_FAILURES_OVERALL = 20
AUTH_LOG_NAME = "dashboard_auth.log"

logger = logging.getLogger(__name__)


class Throttle:
    """Failures within the last `WINDOW`; a name (or everyone) at its limit waits until the
    oldest of those failures leaves the window."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: deque[tuple[datetime, str]] = deque()

    def _forget_before(self, now: datetime) -> None:
        while self._failures and self._failures[0][0] <= now - WINDOW:
            self._failures.popleft()

    def wait(self, name: str, now: datetime) -> timedelta | None:
        """How long `name` must wait before its next attempt, or None when it may try now."""
        with self._lock:
            self._forget_before(now)
            for limit, times in (
                (MAX_FAILURES_PER_NAME, [at for at, failed in self._failures if failed == name]),
                (MAX_FAILURES_OVERALL, [at for at, _ in self._failures]),
            ):
                if len(times) >= limit:
                    return times[-limit] + WINDOW - now
        return None

    def fail(self, name: str, now: datetime) -> None:
        with self._lock:
            self._failures.append((now, name))


def auth_log_path(warehouse: Path) -> Path:
    return warehouse / "logs" / AUTH_LOG_NAME


def log_attempt(
    warehouse: Path, outcome: str, name: str, client: str | None, now: datetime
) -> None:
    """One line per attempt. A name that is not a valid user name is not written as typed: it
    may be a password typed into the wrong field."""
    shown = name if NAME_PATTERN.match(name) else "<not a user name>"
    line = f"{now.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ} {outcome} user={shown} client={client or '-'}"
    (logger.warning if outcome != "login" else logger.info)("dashboard %s", line)
    path = auth_log_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
