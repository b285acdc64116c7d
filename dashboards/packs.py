"""Regulator packs as zip archives the browser can download."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.warehouse import packs_dir
from pipelines.pack import new_pack_id, write_pack
from pipelines.pack.manifest import MANIFEST_NAME


@dataclass(frozen=True)
class PackArchive:
    pack_id: str
    file_name: str
    data: bytes


def zip_folder(folder: Path) -> bytes:
    """The folder's files under one top folder named like it, as the pack's manifest lists them."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    return buffer.getvalue()


def archive_of(folder: Path) -> PackArchive:
    return PackArchive(folder.name, f"ropa-pack-{folder.name}.zip", zip_folder(folder))


def nightly_packs(warehouse: Path) -> list[Path]:
    """The packs the nightly job kept, newest first."""
    folder = packs_dir(warehouse)
    if not folder.is_dir():
        return []
    # A folder without a manifest is a pack still being written, not a pack.
    packs = [path for path in folder.iterdir() if (path / MANIFEST_NAME).is_file()]
    return sorted(packs, key=lambda path: path.stat().st_mtime, reverse=True)


def build(warehouse: Path, since: Path | None) -> PackArchive:
    """Write a fresh pack into a scratch folder and zip it. The dashboard never writes the
    warehouse, so its packs do not join the nightly series; `since` is the pack whose changes
    the new one lists (None: the newest pack of the series)."""
    pack_id = new_pack_id("dashboard")
    with tempfile.TemporaryDirectory(prefix="ropa-pack-") as scratch:
        result = write_pack(warehouse, Path(scratch) / pack_id, since=since)
        return PackArchive(result.pack_id, f"ropa-pack-{result.pack_id}.zip",
                           zip_folder(result.path))  # fmt: skip
