"""write_pack: one regulator pack from the published warehouse, written all or nothing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.warehouse import packs_dir
from pipelines.pack.changes import changes_document, changes_markdown
from pipelines.pack.identity import PackIdentity, new_pack_id
from pipelines.pack.machine_readable import ropa_document, write_csv, write_json
from pipelines.pack.manifest import newest_pack, read_manifest, write_manifest
from pipelines.pack.pdf import write_customer_pdf, write_pdf
from pipelines.pack.record import Audience, Register, read_register
from pipelines.pack.signing import (
    fingerprint,
    load_or_create_signing_key,
    sign_manifest,
    write_public_key,
)
from pipelines.pack.tables import customers
from pipelines.pack.xlsx import write_customer_xlsx, write_xlsx

PROCESSOR_FOLDER = "processor"


@dataclass(frozen=True)
class PackResult:
    path: Path
    pack_id: str
    audience: Audience
    version: int
    previous_pack_id: str | None


def write_pack(
    warehouse_dir: Path,
    out_dir: Path,
    *,
    pack_id: str | None = None,
    audience: Audience = "regulator",
    since: Path | None = None,
) -> PackResult:
    """Write a pack into the new (or empty) folder `out_dir`.

    The pack id is the pack's own (`pack_id`, made by `new_pack_id`; by default an `export` one),
    whatever the folder is called. `audience` "regulator" writes the record alone, "internal"
    adds findings.json, the Findings sheet and the evidence columns. The nightly job writes
    `<warehouse>/packs/<pack_id>/`, so the packs of a warehouse form a series; the baseline for
    changes is `since` (a pack folder) or else the newest pack of that series that an earlier
    run wrote (manifest `run_id` other than the warehouse's). The folder appears only once
    complete, so a crash never leaves a half pack that a later run would take as its baseline.
    Every pack is signed with the organisation's key (pipelines.pack.signing).
    """
    if out_dir.exists() and any(out_dir.iterdir()):
        raise FileExistsError(f"{out_dir} is not empty: a pack is written into a new folder")
    register = read_register(warehouse_dir, audience)
    previous = (
        since
        if since is not None
        else newest_pack(packs_dir(warehouse_dir), earlier_than_run=register.run_id)
    )
    if previous is not None and not (previous / "ropa.json").is_file():
        raise FileNotFoundError(f"{previous} is not a regulator pack: it has no ropa.json")
    signing_key = load_or_create_signing_key(warehouse_dir)
    identity = _new_identity(
        pack_id or new_pack_id("export"), previous, fingerprint(signing_key.public_key())
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        _write_files(register, identity, previous, staging)
        write_public_key(staging, signing_key)
        write_manifest(staging, identity, register)
        sign_manifest(staging, signing_key)
        if out_dir.exists():
            out_dir.rmdir()
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PackResult(
        path=out_dir,
        pack_id=identity.pack_id,
        audience=register.audience,
        version=identity.version,
        previous_pack_id=identity.previous_pack_id,
    )


def _new_identity(pack_id: str, previous: Path | None, key_fingerprint: str) -> PackIdentity:
    previous_manifest = read_manifest(previous) if previous is not None else None
    return PackIdentity(
        pack_id=pack_id,
        version=int(previous_manifest.get("version", 0)) + 1 if previous_manifest else 1,
        created_at=dt.datetime.now(dt.UTC),
        previous_pack_id=str(previous_manifest["pack_id"]) if previous_manifest else None,
        signing_key_fingerprint=key_fingerprint,
    )


def _write_files(
    register: Register, identity: PackIdentity, previous: Path | None, folder: Path
) -> None:
    ropa = ropa_document(register, identity.pack_id)
    write_json(ropa, folder / "ropa.json")
    write_csv(
        register, register.controller_activities, "controller_activity", folder / "controller.csv"
    )
    write_csv(
        register, register.processor_activities, "processor_activity", folder / "processor.csv"
    )
    if register.findings is not None:
        write_json(register.findings, folder / "findings.json")
    # Compared by the register's keys (kept in memory, not written in the regulator's copy);
    # the internal copy's ropa.json has them already.
    with_keys = register.audience == "internal"
    keyed = ropa if with_keys else ropa_document(register, identity.pack_id, with_keys=True)
    changes = changes_document(keyed, previous, with_keys=with_keys)
    write_json(changes, folder / "changes.json")
    (folder / "changes.md").write_text(changes_markdown(changes), encoding="utf-8")
    write_xlsx(register, identity, folder / "ropa.xlsx")
    write_pdf(register, identity, folder / "ropa.pdf")
    processor_folder = folder / PROCESSOR_FOLDER
    processor_folder.mkdir()
    for customer_key, rows in customers(register).items():
        stem = customer_file_stem(customer_key)
        write_customer_xlsx(register, identity, rows, processor_folder / f"{stem}.xlsx")
        write_customer_pdf(register, identity, rows, processor_folder / f"{stem}.pdf")


def customer_file_stem(customer_key: str) -> str:
    """The customer key as a file name: anything but letters, digits, `.`, `_`, `-` becomes `_`,
    so that a key never leaves processor/ (`/`, `..`) or hides the file (a leading dot)."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", customer_key)
    return f"_{stem}" if stem.startswith(".") else stem
