"""What names one pack: its id, its version in the warehouse's series, and the pack before it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class PackIdentity:
    pack_id: str
    # 1 for the first pack, then the previous pack's version + 1: the "version" on the cover.
    version: int
    created_at: dt.datetime
    previous_pack_id: str | None

    @property
    def created_at_text(self) -> str:
        return self.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")


def pack_id_for(as_of: str, created_at: dt.datetime, drop_fingerprint: str) -> str:
    """Sortable and readable: `ropa-<as_of>-<created UTC>-<drop fingerprint prefix>`."""
    fingerprint_hex = drop_fingerprint.removeprefix("sha256:")[:8]
    return f"ropa-{as_of}-{created_at.strftime('%Y%m%dT%H%M%SZ')}-{fingerprint_hex}"
