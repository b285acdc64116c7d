"""What names one pack: its id (its own, whatever its folder is called), its version in the
series, the pack before."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass


def new_pack_id(origin: str, created_at: dt.datetime | None = None) -> str:
    """A new pack's id: its UTC creation time to the second, then what wrote it (the run's
    first id characters, `export`, `dashboard`), so ids sort by time and name their origin;
    then six random hex digits, so that two packs written within one second differ."""
    created = created_at or dt.datetime.now(dt.UTC)
    return f"{created.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{origin}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class PackIdentity:
    pack_id: str
    # 1 for the first pack, then the previous pack's version + 1: the "version" on the cover.
    version: int
    created_at: dt.datetime
    previous_pack_id: str | None
    # The fingerprint of the key that signs the pack (pipelines.pack.signing): on the cover too.
    signing_key_fingerprint: str

    @property
    def created_at_text(self) -> str:
        # Microseconds, so that packs written within one second still order by creation.
        return self.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
