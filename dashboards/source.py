"""Which warehouse the dashboard shows, and which version of its published file is current.

`ropa dashboard` hands the warehouse folder to the Streamlit process in an environment variable,
because Streamlit runs the entry script itself and passes it no arguments of ours.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipelines.lib.warehouse import published_path

WAREHOUSE_ENV = "ROPA_WAREHOUSE_DIR"
DEFAULT_WAREHOUSE = Path("warehouse")


@dataclass(frozen=True)
class PublishedFile:
    """One published `ropa.duckdb`: each run renames a new file over it, so inode and mtime
    change together and make a cache key that a new run always invalidates."""

    inode: int
    mtime_ns: int

    @property
    def published_at(self) -> datetime:
        return datetime.fromtimestamp(self.mtime_ns / 1e9, tz=UTC)


def warehouse_dir() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV, str(DEFAULT_WAREHOUSE))).resolve()


def published_file(warehouse: Path) -> PublishedFile | None:
    """The current published file, or None when no run has published one yet."""
    try:
        stat = published_path(warehouse).stat()
    except FileNotFoundError:
        return None
    return PublishedFile(inode=stat.st_ino, mtime_ns=stat.st_mtime_ns)
