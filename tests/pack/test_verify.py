"""manifest.json and `ropa verify`: an intact pack passes; an altered, missing, extra file fails."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from commands.cli import main as ropa
from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult

pytestmark = pytest.mark.slow

PACK_FILES = {
    "ropa.xlsx",
    "ropa.pdf",
    "controller.csv",
    "processor.csv",
    "ropa.json",
    "changes.json",
    "changes.md",
}


def test_manifest_lists_every_other_file_with_its_sha256(
    demo_pack: PackResult, demo_warehouse: Path
) -> None:
    manifest = json.loads((demo_pack.path / "manifest.json").read_text())
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    processor_files = {name for name in listed if name.startswith("processor/")}
    assert processor_files  # one PDF and one xlsx per customer
    assert set(listed) - processor_files == PACK_FILES
    for name, digest in listed.items():
        actual = hashlib.sha256((demo_pack.path / name).read_bytes()).hexdigest()
        assert digest == f"sha256:{actual}"
    with read_only_connection(demo_warehouse) as connection:
        (fingerprint,) = connection.execute("select drop_fingerprint from raw.run_info").fetchone()
    assert manifest["drop_fingerprint"] == fingerprint
    assert manifest["pack_id"] == demo_pack.pack_id
    assert manifest["as_of"] == "2026-11-29"
    assert {"created_at", "previous_pack_id", "version", "run_id"} <= set(manifest)
    assert manifest["audience"] == "regulator"


def test_intact_pack_passes(demo_pack: PackResult, capsys: pytest.CaptureFixture[str]) -> None:
    assert ropa(["verify", str(demo_pack.path)]) == 0
    assert "intact" in capsys.readouterr().out


def test_tampered_missing_and_extra_files_fail(
    demo_pack: PackResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(demo_pack.path, copy)
    with (copy / "ropa.pdf").open("ab") as handle:
        handle.write(b"\n%tampered\n")
    (copy / "processor.csv").unlink()
    (copy / "notes.txt").write_text("added after signing")

    assert ropa(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "changed: ropa.pdf" in out
    assert "missing: processor.csv" in out
    assert "extra: notes.txt" in out
    assert "ropa.xlsx" not in out


def test_one_changed_byte_fails(demo_pack: PackResult, tmp_path: Path) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(demo_pack.path, copy)
    text = (copy / "ropa.json").read_text()
    (copy / "ropa.json").write_text(text.replace("2026-11-29", "2026-11-28", 1))
    assert ropa(["verify", str(copy)]) == 1
