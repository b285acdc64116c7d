"""Fixtures for loader tests: a writable copy of the hand-written minimal drop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

MINIMAL_DROP = Path(__file__).parents[1] / "fixtures" / "minimal_drop"


@pytest.fixture
def minimal_drop(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/minimal_drop that a test may break."""
    target = tmp_path / "drop"
    shutil.copytree(MINIMAL_DROP, target)
    return target
