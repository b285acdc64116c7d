"""write_pack: one regulator pack from the published warehouse, written all or nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.warehouse import packs_dir
from pipelines.pack.changes import changes_document, changes_markdown
from pipelines.pack.identity import PackIdentity
from pipelines.pack.machine_readable import ropa_document, write_csv, write_json
from pipelines.pack.manifest import newest_pack, read_manifest, write_manifest
from pipelines.pack.pdf import write_pdf
from pipelines.pack.record import Register, read_register
from pipelines.pack.xlsx import write_xlsx


@dataclass(frozen=True)
class PackResult:
    path: Path
    pack_id: str
    version: int
    previous_pack_id: str | None


def write_pack(warehouse_dir: Path, out_dir: Path, since: Path | None = None) -> PackResult:
    """Write a pack into the new (or empty) folder `out_dir`, whose name is the pack id.

    The nightly job writes `<warehouse>/packs/<pack_id>/`, so the packs of a warehouse form a
    series; the baseline for changes is `since` (a pack folder) or else the newest pack of that
    series. The folder appears only once complete, so a crash never leaves a half pack that a
    later run would take as its baseline.
    """
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty: a pack is written into a new folder")
    register = read_register(warehouse_dir)
    previous = since if since is not None else newest_pack(packs_dir(warehouse_dir))
    if previous is not None and not (previous / "ropa.json").is_file():
        raise FileNotFoundError(f"{previous} is not a regulator pack: it has no ropa.json")
    identity = _new_identity(out_dir.name, previous)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        _write_files(register, identity, previous, staging)
        if out_dir.exists():
            out_dir.rmdir()
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PackResult(
        path=out_dir,
        pack_id=identity.pack_id,
        version=identity.version,
        previous_pack_id=identity.previous_pack_id,
    )


def _new_identity(pack_id: str, previous: Path | None) -> PackIdentity:
    previous_manifest = read_manifest(previous) if previous is not None else None
    return PackIdentity(
        pack_id=pack_id,
        version=int(previous_manifest.get("version", 0)) + 1 if previous_manifest else 1,
        created_at=dt.datetime.now(dt.UTC),
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
