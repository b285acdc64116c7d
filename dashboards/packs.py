"""Regulator packs as zip archives the browser can download."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.warehouse import packs_dir


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
    packs = [path for path in folder.iterdir() if path.is_dir()]
    return sorted(packs, key=lambda path: path.stat().st_mtime, reverse=True)


def build(warehouse: Path, since: Path | None) -> PackArchive:
    """Write a fresh pack into a scratch folder (the dashboard never writes the warehouse) and
    zip it; `since` is the earlier pack whose changes it lists."""
    # Imported here: the pack's libraries (openpyxl, reportlab) are only needed on request.
    from pipelines.pack import write_pack

    with tempfile.TemporaryDirectory(prefix="ropa-pack-") as scratch:
        result = write_pack(warehouse, Path(scratch), since=since)
        return PackArchive(result.pack_id, f"ropa-pack-{result.pack_id}.zip",
                           zip_folder(result.path))  # fmt: skip
