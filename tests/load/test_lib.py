"""Pure helpers: durations and the pseudonymisation key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pipelines.lib.durations import parse_duration
from pipelines.lib.pseudonym import KEY_ENV_VAR, load_or_create_key


@pytest.mark.parametrize(
    ("text", "months", "days"),
    [
        ("P30D", 0, 30),
        ("P6M", 6, 0),
        ("P1Y", 12, 0),
        ("P2Y6M", 30, 0),
        ("P4W", 0, 28),
        ("p1y2m3w4d", 14, 25),
    ],
)
def test_calendar_durations(text: str, months: int, days: int) -> None:
    duration = parse_duration(text)
    assert (duration.months, duration.days) == (months, days)


@pytest.mark.parametrize("text", ["P", "PT12H", "1Y", "P1.5Y", "", "P-1D"])
def test_not_calendar_durations(text: str) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_duration(text)


def test_key_file_is_created_once_with_mode_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV_VAR, raising=False)
    first = load_or_create_key(tmp_path)
    assert stat.S_IMODE((tmp_path / "pseudonym.key").stat().st_mode) == 0o600
    assert load_or_create_key(tmp_path) == first
    monkeypatch.setenv(KEY_ENV_VAR, "ab" * 32)
    assert load_or_create_key(tmp_path) == bytes.fromhex("ab" * 32)
