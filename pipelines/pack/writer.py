"""write_pack: one regulator pack from the published warehouse, written all or nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.warehouse import packs_dir
from pipelines.pack.changes import changes_document, changes_markdown
from pipelines.pack.identity import PackIdentity, pack_id_for
from pipelines.pack.machine import ropa_document, write_csv, write_json
from pipelines.pack.manifest import newest_pack, read_manifest, write_manifest
from pipelines.pack.pdf import write_pdf
from pipelines.pack.register import Register, read_register
from pipelines.pack.xlsx import write_xlsx


@dataclass(frozen=True)
class PackResult:
    path: Path
    pack_id: str
    version: int
    previous_pack_id: str | None


def write_pack(warehouse_dir: Path, out_dir: Path, since: Path | None = None) -> PackResult:
    """Write a pack into a new folder `out_dir/<pack_id>/` and return where it is.

    The nightly job passes `packs_dir(warehouse_dir)` as `out_dir`, so the packs of a warehouse
    form a series; the baseline for changes is `since` (a pack folder) or else the newest pack of
    that series. The pack appears under its final name only once complete, so a crash never leaves
    a half pack that a later run would take as its baseline.
    """
    register = read_register(warehouse_dir)
    previous = since if since is not None else newest_pack(packs_dir(warehouse_dir))
    if previous is not None and not (previous / "ropa.json").is_file():
        raise FileNotFoundError(f"{previous} is not a regulator pack: it has no ropa.json")
    identity = _new_identity(register, out_dir, previous)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".{identity.pack_id}.partial"
    staging.mkdir()
    try:
        _write_files(register, identity, previous, staging)
        target = out_dir / identity.pack_id
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PackResult(
        path=target,
        pack_id=identity.pack_id,
        version=identity.version,
        previous_pack_id=identity.previous_pack_id,
    )


def _new_identity(register: Register, out_dir: Path, previous: Path | None) -> PackIdentity:
    created_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    pack_id = pack_id_for(register.as_of, created_at, register.drop_fingerprint)
    # Two exports of one drop within a second would share an id: number the later ones.
    candidate, attempt = pack_id, 1
    while (out_dir / candidate).exists() or (out_dir / f".{candidate}.partial").exists():
        attempt += 1
        candidate = f"{pack_id}-{attempt}"
    previous_manifest = read_manifest(previous) if previous is not None else None
    return PackIdentity(
        pack_id=candidate,
        version=int(previous_manifest.get("version", 0)) + 1 if previous_manifest else 1,
        created_at=created_at,
        previous_pack_id=str(previous_manifest["pack_id"]) if previous_manifest else None,
    )


def _write_files(
    register: Register, identity: PackIdentity, previous: Path | None, folder: Path
) -> None:
    ropa = ropa_document(register, identity.pack_id)
    write_json(ropa, folder / "ropa.json")
    write_csv(register.controller_activities, "controller_activity", folder / "controller.csv")
    write_csv(register.processor_activities, "processor_activity", folder / "processor.csv")
    write_json(register.findings, folder / "findings.json")
    changes = changes_document(ropa, previous)
    write_json(changes, folder / "changes.json")
    (folder / "changes.md").write_text(changes_markdown(changes), encoding="utf-8")
    write_xlsx(register, identity.pack_id, folder / "ropa.xlsx")
    write_pdf(register, identity, folder / "ropa.pdf")
    write_manifest(folder, identity, register)
