"""What the published warehouse already holds of a drop, so that a run does only the new work.

The published file's `raw.run_info` and `raw.load_audit` say which run built it and, per file, its
SHA-256, its stamp (size and modification time) and what its load gave. A file whose stamp is
unchanged keeps its recorded SHA-256 without being read: the trade-off git and rsync make (a
file rewritten with other bytes of the same size within the same nanosecond, or whose mtime was
set back by hand, would pass for unchanged; `ropa run --full` hashes every file). A record file
whose SHA-256 is known is not parsed again when its part exists (pipelines/load/record_parts.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from pipelines.lib import warehouse
from pipelines.lib.code_version import code_version


@dataclass(frozen=True)
class FileStamp:
    size_bytes: int
    mtime_ns: int


@dataclass(frozen=True)
class PublishedFile:
    sha256: str
    stamp: FileStamp | None  # None: recorded before stamps were
    file_format: str
    rows_read: int | None  # None: not read as a table
    rows_loaded: int | None
    rows_rejected: int | None


@dataclass(frozen=True)
class PublishedLoad:
    """The load of the run that published the warehouse."""

    path: Path
    run_id: str
    as_of: dt.date
    drop_fingerprint: str
    pseudonym_key_fingerprint: str
    code_version: str
    data_subjects_fingerprint: str
    files: dict[str, PublishedFile]

    def builds_alike(self, key_fingerprint: str) -> bool:
        """Whether this process, with this key, loads a file into the rows the published run
        loaded it into."""
        return (self.pseudonym_key_fingerprint, self.code_version) == (
            key_fingerprint,
            code_version(),
        )

    def is_unchanged(self, drop_fingerprint: str, as_of: dt.date, key_fingerprint: str) -> bool:
        """Whether a run would rebuild the published warehouse as it is."""
        return self.builds_alike(key_fingerprint) and (self.drop_fingerprint, self.as_of) == (
            drop_fingerprint,
            as_of,
        )


def read_published_load(warehouse_dir: Path) -> PublishedLoad | None:
    """The published run's load; None when nothing is published, or the warehouse predates the
    columns carry-over needs (then the run loads everything)."""
    path = warehouse.published_path(warehouse_dir)
    if not path.exists():
        return None
    with warehouse.connect(path, read_only=True) as connection:
        columns = set(
            connection.execute(
                "select table_name || '.' || column_name from information_schema.columns "
                "where table_schema = 'raw' and table_name in ('run_info', 'load_audit')"
            ).fetchall()
        )
        if not {("run_info.data_subjects_fingerprint",), ("load_audit.mtime_ns",)} <= columns:
            return None
        runs = connection.execute(
            "select run_id, as_of, drop_fingerprint, pseudonym_key_fingerprint, code_version, "
            "data_subjects_fingerprint from raw.run_info"
        ).fetchall()
        files = connection.execute(
            "select source_file, sha256, size_bytes, mtime_ns, file_format, rows_read, "
            "rows_loaded, rows_rejected from raw.load_audit"
        ).fetchall()
    if len(runs) != 1:
        return None
    run_id, as_of, drop_fingerprint, key_fingerprint, version, subjects = runs[0]
    return PublishedLoad(
        path=path,
        run_id=run_id,
        as_of=as_of,
        drop_fingerprint=drop_fingerprint,
        pseudonym_key_fingerprint=key_fingerprint,
        code_version=version,
        data_subjects_fingerprint=subjects,
        files={row[0]: _published_file(*row[1:]) for row in files},
    )


def _published_file(
    sha256: str,
    size_bytes: int,
    mtime_ns: int | None,
    file_format: str,
    rows_read: int | None,
    rows_loaded: int | None,
    rows_rejected: int | None,
) -> PublishedFile:
    stamp = None if mtime_ns is None else FileStamp(size_bytes, mtime_ns)
    return PublishedFile(sha256, stamp, file_format, rows_read, rows_loaded, rows_rejected)


def data_subjects_fingerprint(subjects: frozenset[str]) -> str:
    text = "".join(f"{subject}\n" for subject in sorted(subjects))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
