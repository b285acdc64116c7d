"""Regulator packs as zip archives the browser can download."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib.warehouse import packs_dir
from pipelines.pack import new_pack_id, write_pack
from pipelines.pack.manifest import MANIFEST_NAME
from pipelines.pack.record import Audience

# What each copy is, in the words the Export page shows.
AUDIENCE_LABELS: dict[str, str] = {
    "regulator": "Regulator's copy: the record alone (Art. 30(4)), for a supervisory authority",
    "internal": "Internal copy (DPO): the record plus findings, records held and overdue, "
    "source files and load times; not for the authority",
}


@dataclass(frozen=True)
class PackArchive:
    pack_id: str
    audience: str
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


def audience_of(folder: Path) -> str:
    """The copy a kept pack is (its manifest says); packs from before audiences were internal."""
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "internal"
    return str(manifest.get("audience") or "internal")


def archive_of(folder: Path) -> PackArchive:
    audience = audience_of(folder)
    return PackArchive(
        folder.name, audience, f"ropa-pack-{folder.name}-{audience}.zip", zip_folder(folder)
    )


def nightly_packs(warehouse: Path) -> list[Path]:
    """The packs the nightly job kept, newest first."""
    folder = packs_dir(warehouse)
    if not folder.is_dir():
        return []
    # A folder without a manifest is a pack still being written, not a pack.
    packs = [path for path in folder.iterdir() if (path / MANIFEST_NAME).is_file()]
    return sorted(packs, key=lambda path: path.stat().st_mtime, reverse=True)


def build(warehouse: Path, since: Path | None, audience: Audience = "regulator") -> PackArchive:
    """Write a fresh pack into a scratch folder and zip it. The dashboard never writes the
    warehouse, so its packs do not join the nightly series; `since` is the pack whose changes
    the new one lists (None: the newest pack of an earlier run in the series)."""
    pack_id = new_pack_id("dashboard")
    with tempfile.TemporaryDirectory(prefix="ropa-pack-") as scratch:
        result = write_pack(
            warehouse, Path(scratch) / pack_id, pack_id=pack_id, audience=audience, since=since
        )
        return PackArchive(
            result.pack_id,
            result.audience,
            f"ropa-pack-{result.pack_id}-{result.audience}.zip",
            zip_folder(result.path),
        )
