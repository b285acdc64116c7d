"""One record file, validated and pseudonymised on its own: a part, the unit of the per-file load.

A part holds what loading the file gives (its typed, keyed rows and its rejects, as Parquet)
and its counts. Each is built by a DuckDB connection of its own, so parts are independent work:
the Dagster partitions of `drop/record_file` (pipelines/assets/record_files.py) build them on as
many workers as a deployment has, and the load of the drop then only reads them (`raw.records`
is a view over the parts, `raw.rejects` gets their rejects). A part is
named by a digest of everything its rows depend on (the file's path and SHA-256, the pseudonym
key, the data subjects it was validated against, the code), so a part that exists is the load
of that file: an unchanged file is not parsed again, and nothing stale can be picked up.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from pipelines.lib import warehouse
from pipelines.lib.code_version import code_version
from pipelines.lib.pseudonym import key_fingerprint, keyed_hash_sql
from pipelines.lib.warehouse import sql_literal
from pipelines.load import raw_tables
from pipelines.load.carry_over import data_subjects_fingerprint
from pipelines.load.tabular import (
    FORMATS,
    FileLoad,
    LoadTarget,
    load_file,
    prepare_table,
    settle_rejects,
)
from pipelines.load.tabular_specs import RECORDS

PARTS_FOLDER = "record_parts"  # in the warehouse folder
_COUNTS = "load.json"
_TABLES = {"records": "records.parquet", "rejects": "rejects.parquet"}
_BUILDING = ".building-"  # a part being written; renamed into place when whole
# A part half-built this long ago was left by a killed worker: a live one writes for minutes.
_ABANDONED_AFTER_SECONDS = 24 * 3600


@dataclass(frozen=True)
class RecordFile:
    """A record file of the drop, as its part is named: the file and what its rows depend on."""

    source_file: str  # relative to the drop, `/` separators
    system_key: str
    sha256: str
    key_fingerprint: str
    data_subjects_fingerprint: str

    @property
    def digest(self) -> str:
        text = "\n".join([*asdict(self).values(), code_version()])
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Part:
    folder: Path
    load: FileLoad
    run_id: str  # the run that built it


@dataclass(frozen=True)
class PartBuilder:
    """Builds and finds the parts of one run's load, in `parts` (`<warehouse>/record_parts`)."""

    parts: Path
    drop: Path
    pseudonym_key: bytes
    data_subjects: frozenset[str]
    run_id: str
    reuse: bool = True  # whether earlier runs' parts count (`ropa run --full`: only this run's)

    def record_file(self, source_file: str, system_key: str, sha256: str) -> RecordFile:
        return RecordFile(
            source_file,
            system_key,
            sha256,
            key_fingerprint(self.pseudonym_key),
            data_subjects_fingerprint(self.data_subjects),
        )

    def existing(self, record_file: RecordFile) -> Part | None:
        folder = self.parts / record_file.digest
        try:
            built = json.loads((folder / _COUNTS).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        part = Part(folder, FileLoad(**built["load"]), built["run_id"])
        return part if self.reuse or part.run_id == self.run_id else None

    def part(
        self, record_file: RecordFile, progress: Callable[[str], None] = lambda _message: None
    ) -> Part:
        """The part of `record_file`, found or built now, saying so to `progress` (a file that
        cannot be loaded raises DropError, as the load of the drop would)."""
        relative = record_file.source_file
        found = self.existing(record_file)
        if found is not None:
            return found
        progress(relative)
        folder = self.parts / record_file.digest
        self.parts.mkdir(parents=True, exist_ok=True)
        building = self.parts / f"{_BUILDING}{record_file.digest}-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        try:
            load = _load_into(building, self.drop, record_file, self.pseudonym_key,
                              self.data_subjects)  # fmt: skip
            built = {"run_id": self.run_id, "load": asdict(load)}
            (building / _COUNTS).write_text(json.dumps(built), encoding="utf-8")
            if folder.exists():  # another worker built it meanwhile, or it was not to be reused
                shutil.rmtree(folder)
            os.rename(building, folder)
        finally:
            shutil.rmtree(building, ignore_errors=True)
        return Part(folder, load, self.run_id)


def _load_into(
    building: Path,
    drop: Path,
    record_file: RecordFile,
    pseudonym_key: bytes,
    data_subjects: frozenset[str],
) -> FileLoad:
    # In memory, spilling inside the part's folder under the refresh's memory limit.
    with warehouse.connect_in_memory(building / "load") as connection:
        connection.execute("set TimeZone = 'UTC'")  # a timestamp without an offset is UTC
        raw_tables.create_raw_tables(connection)
        prepare_table(connection, RECORDS.table)
        target = LoadTarget(
            RECORDS,
            {"system_key": record_file.system_key},
            data_subjects,
            keyed_hash_sql(connection, pseudonym_key, "{column}"),
        )
        relative = record_file.source_file
        load_file(connection, drop / relative, relative, target)
        read, loaded = settle_rejects(connection, RECORDS).get(relative, (0, 0))
        for table, name in _TABLES.items():
            connection.execute(
                f"copy (select * from raw.{table}) to ? (format parquet, compression lz4_raw)",
                [str(building / name)],
            )
    return FileLoad(relative, FORMATS[Path(relative).suffix.lower()], read, loaded, read - loaded)


def insert_rejects(connection: duckdb.DuckDBPyConnection, part: Part) -> None:
    """Append the part's rejects to the build's `raw.rejects`."""
    connection.execute(
        "insert into raw.rejects by name select * from read_parquet(?)",
        [str(part.folder / _TABLES["rejects"])],
    )


def view_records(connection: duckdb.DuckDBPyConnection, parts: list[Part]) -> None:
    """Make `raw.records` a view over the parts' rows, in the parts' order: the rows are not
    copied into the build file (DuckDB scans Parquet as fast as its own tables), so the
    published warehouse reads them from `record_parts/`, which keeps its parts. Without parts
    the empty table stays."""
    if not parts:
        return
    files = ", ".join(sql_literal(str(part.folder / _TABLES["records"])) for part in parts)
    connection.execute("drop table raw.records")
    connection.execute(f"create view raw.records as select * from read_parquet([{files}])")


def keep_only(parts: Path, digests: set[str]) -> list[str]:
    """Remove every part whose digest is not in `digests`, and what killed workers half-built;
    return what was removed. Called once a run is published, with its parts: what a later run
    can reuse is what the published warehouse was built from."""
    removed = []
    abandoned_before = time.time() - _ABANDONED_AFTER_SECONDS
    with contextlib.suppress(FileNotFoundError), os.scandir(parts) as entries:
        for entry in sorted(entries, key=lambda entry: entry.name):
            if entry.name in digests or not entry.is_dir(follow_symlinks=False):
                continue
            building = entry.name.startswith(_BUILDING)
            if building and entry.stat(follow_symlinks=False).st_mtime > abandoned_before:
                continue  # a worker may be writing it now
            shutil.rmtree(entry.path)
            removed.append(entry.name)
    return removed


def parts_of_build(connection: duckdb.DuckDBPyConnection) -> set[str]:
    """The digests of the parts a build file's records came from (its load_audit and run_info)."""
    rows = connection.execute(
        "select a.source_file, a.sha256, r.pseudonym_key_fingerprint, "
        "r.data_subjects_fingerprint from raw.load_audit a cross join raw.run_info r "
        "where a.source_file like 'records/%' and a.rows_read is not null"
    ).fetchall()
    return {
        RecordFile(source_file, source_file.split("/")[1], sha256, key, subjects).digest
        for source_file, sha256, key, subjects in rows
    }
