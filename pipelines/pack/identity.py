"""What names one pack: its id (the folder name), its version in the series, the pack before."""

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
        # Microseconds, so that packs written within one second still order by creation.
        return self.created_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
