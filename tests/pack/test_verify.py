"""manifest.json and `ropa verify`: an intact, signed pack passes; an altered, missing, extra
file fails, and so does a manifest re-hashed but not re-signed or signed by another key."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from commands.cli import main as ropa
from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult
from pipelines.pack.signing import PUBLIC_KEY_NAME, sign_manifest, write_public_key

pytestmark = pytest.mark.slow

PACK_FILES = {
    "ropa.xlsx",
    "ropa.pdf",
    "controller.csv",
    "processor.csv",
    "ropa.json",
    "changes.json",
    "changes.md",
    "signing_key.pub",
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
    out = capsys.readouterr().out
    manifest = json.loads((demo_pack.path / "manifest.json").read_text())
    assert "file hashes intact" in out
    assert f"signed by the key in the pack ({PUBLIC_KEY_NAME})" in out
    assert manifest["signing_key_fingerprint"] in out
    assert "FAILED" not in out


def test_pack_signed_by_the_given_public_key_passes(
    demo_pack: PackResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The regulator's check: the key kept from an earlier pack of the organisation."""
    kept = tmp_path / "organisation.pub"
    shutil.copy(demo_pack.path / PUBLIC_KEY_NAME, kept)
    assert ropa(["verify", str(demo_pack.path), "--public-key", str(kept)]) == 0
    assert f"signature valid, signed by the key in {kept}" in capsys.readouterr().out


def _rehash_manifest(pack: Path) -> None:
    """What a forger can do without the key: put the altered files' hashes in the manifest."""
    manifest = json.loads((pack / "manifest.json").read_text())
    for entry in manifest["files"]:
        data = (pack / entry["path"]).read_bytes()
        entry["sha256"] = f"sha256:{hashlib.sha256(data).hexdigest()}"
        entry["bytes"] = len(data)
    (pack / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")


def _altered_copy(demo_pack: PackResult, tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(demo_pack.path, copy)
    with (copy / "controller.csv").open("a", encoding="utf-8") as handle:
        handle.write("an activity the organisation never declared\n")
    return copy


def test_altered_file_with_rehashed_manifest_fails_the_signature(
    demo_pack: PackResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = _altered_copy(demo_pack, tmp_path)
    _rehash_manifest(copy)
    assert ropa(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "file hashes intact" in out  # the forger fixed the hashes ...
    assert "signature FAILED: manifest.json is not what was signed" in out  # ... not the signature


def test_pack_re_signed_with_another_key_fails_against_the_organisations_key(
    demo_pack: PackResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = tmp_path / "organisation.pub"
    shutil.copy(demo_pack.path / PUBLIC_KEY_NAME, kept)
    copy = _altered_copy(demo_pack, tmp_path)
    forger = Ed25519PrivateKey.generate()
    write_public_key(copy, forger)
    _rehash_manifest(copy)
    sign_manifest(copy, forger)

    # Self-consistent: only the organisation's own key tells the forgery apart.
    assert ropa(["verify", str(copy)]) == 0
    assert ropa(["verify", str(copy), "--public-key", str(kept)]) == 1
    out = capsys.readouterr().out
    assert f"key FAILED: not signed by the key in {kept}" in out


def test_missing_signature_fails(
    demo_pack: PackResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "pack"
    shutil.copytree(demo_pack.path, copy)
    (copy / "manifest.json.sig").unlink()
    assert ropa(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "file hashes intact" in out
    assert "signature FAILED: the pack is not signed" in out


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
