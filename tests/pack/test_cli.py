"""`ropa export` and `ropa verify` as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commands.cli import main as ropa
from tests.pack.pack_files import pdf_text

pytestmark = pytest.mark.slow


def test_export_then_verify(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "cli-pack"
    assert ropa(["export", "--warehouse", str(demo_warehouse), "--out", str(pack)]) == 0
    out = capsys.readouterr().out
    manifest = json.loads((pack / "manifest.json").read_text())
    # The pack id is the pack's own, not the folder's name: on the cover, manifest, changes.
    assert "-export-" in manifest["pack_id"] and manifest["pack_id"] != "cli-pack"
    assert f"regulator pack {manifest['pack_id']}" in out
    assert manifest["audience"] == "regulator"
    assert json.loads((pack / "changes.json").read_text())["pack_id"] == manifest["pack_id"]
    assert manifest["pack_id"] in pdf_text(pack / "ropa.pdf").split("Contents")[0]
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


def test_export_internal_audience(
    demo_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "internal"
    args = ["export", "--warehouse", str(demo_warehouse), "--out", str(pack)]
    assert ropa([*args, "--audience", "internal"]) == 0
    assert "internal pack" in capsys.readouterr().out
    assert (pack / "findings.json").is_file()
    assert json.loads((pack / "manifest.json").read_text())["audience"] == "internal"
