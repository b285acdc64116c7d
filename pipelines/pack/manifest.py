"""manifest.json: what the pack is, and the SHA-256 of every other file, for the recipient."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from pipelines.pack.identity import PackIdentity
from pipelines.pack.record import Register

MANIFEST_NAME = "manifest.json"
# The manifest cannot list itself, nor its signature (written after it: pipelines.pack.signing).
SIGNATURE_NAME = "manifest.json.sig"
_UNLISTED = frozenset({MANIFEST_NAME, SIGNATURE_NAME})
_CHUNK = 1 << 20


@dataclass(frozen=True)
class Discrepancy:
    path: str
    problem: str  # "changed" | "missing" | "extra"


def write_manifest(pack_dir: Path, identity: PackIdentity, register: Register) -> None:
    """Written last: it hashes every file already in the pack."""
    manifest = {
        "pack_id": identity.pack_id,
        "audience": register.audience,
        "version": identity.version,
        "as_of": register.as_of,
        "created_at": identity.created_at_text,
        "drop_fingerprint": register.drop_fingerprint,
        # The run that published the warehouse (marts.run_info): what "an earlier run" means.
        "run_id": register.run_id,
        "previous_pack_id": identity.previous_pack_id,
        "signing_key_fingerprint": identity.signing_key_fingerprint,
        "generator": f"ropa-warehouse {metadata.version('ropa-warehouse')}",
        "files": [
            {"path": path, "sha256": digest, "bytes": (pack_dir / path).stat().st_size}
            for path, digest in sorted(_hash_files(pack_dir).items())
        ],
    }
    (pack_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_manifest(pack_dir: Path) -> dict[str, Any]:
    return dict(json.loads((pack_dir / MANIFEST_NAME).read_text(encoding="utf-8")))


def verify_pack(pack_dir: Path) -> list[Discrepancy]:
    """Every file that differs from, is missing from, or is not listed in the manifest."""
    expected = {entry["path"]: entry["sha256"] for entry in read_manifest(pack_dir)["files"]}
    actual = _hash_files(pack_dir)
    discrepancies = [
        Discrepancy(path, "missing" if path not in actual else "changed")
        for path, digest in expected.items()
        if actual.get(path) != digest
    ]
    discrepancies += [Discrepancy(path, "extra") for path in actual if path not in expected]
    return sorted(discrepancies, key=lambda item: item.path)


def newest_pack(packs_folder: Path, earlier_than_run: str | None = None) -> Path | None:
    """The pack in `packs_folder` created last (a folder without a manifest is not a pack).

    With `earlier_than_run`, only packs of another run count: the manifest's `run_id` is the run
    that published the warehouse the pack was read from, so the pack the nightly job wrote
    seconds earlier from the same warehouse is no baseline for an export of it. A pack without
    a run id (an older format) counts as another run's.
    """
    candidates: list[tuple[dt.datetime, Path]] = []
    for folder in packs_folder.glob("*/"):
        if folder.name.startswith("."):
            continue  # a pack still being written (or abandoned by a crash) is no baseline
        try:
            manifest = read_manifest(folder)
            created_at = dt.datetime.fromisoformat(str(manifest["created_at"]))
        except (OSError, ValueError, KeyError):
            continue
        if earlier_than_run is not None and manifest.get("run_id") == earlier_than_run:
            continue
        # A naive time is UTC; aware and naive times cannot be compared.
        candidates.append((created_at.replace(tzinfo=created_at.tzinfo or dt.UTC), folder))
    return max(candidates)[1] if candidates else None


def _hash_files(pack_dir: Path) -> dict[str, str]:
    """Relative path (`/` separators) → `sha256:<hex>` for every file but the manifest and
    its signature."""
    return {
        path.relative_to(pack_dir).as_posix(): _sha256(path)
        for path in sorted(pack_dir.rglob("*"))
        if path.is_file() and path.relative_to(pack_dir).as_posix() not in _UNLISTED
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"
