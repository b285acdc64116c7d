"""`ropa findings` without a published warehouse tells the user what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.cli import main as ropa


def test_missing_warehouse_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ropa(["findings", "--warehouse", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no published warehouse" in captured.err
    assert "ropa run" in captured.err
