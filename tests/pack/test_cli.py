"""`ropa export` and `ropa verify` as a user types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.cli import main as ropa

pytestmark = pytest.mark.slow


def test_export_then_verify(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "cli-pack"
    assert ropa(["export", "--warehouse", str(demo_warehouse), "--out", str(pack)]) == 0
    assert "pack cli-pack" in capsys.readouterr().out
    assert (pack / "manifest.json").is_file()
    assert not list(tmp_path.glob(".*"))  # no staging folder left behind
    assert ropa(["verify", str(pack)]) == 0


def test_export_refuses_a_folder_that_holds_files(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "keep.txt").write_text("not a pack")
    assert ropa(["export", "--warehouse", str(demo_warehouse), "--out", str(tmp_path)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").read_text() == "not a pack"


def test_export_without_a_warehouse_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ropa(["export", "--warehouse", str(tmp_path), "--out", str(tmp_path / "p")]) == 1
    assert "ropa run" in capsys.readouterr().err


def test_verify_without_a_manifest_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ropa(["verify", str(tmp_path)]) == 1
    assert "manifest.json" in capsys.readouterr().err
