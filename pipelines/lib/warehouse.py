"""Where the warehouse lives, and how a run's build file becomes the published warehouse.

Readers never see a half-built warehouse: a run writes `build/<run_id>.duckdb`, and only a run
whose load, dbt build and blocking checks succeeded renames it over `ropa.duckdb` (an atomic
rename on POSIX). Readers open short-lived read-only connections, so the nightly write and the
dashboard never hold DuckDB's single-writer lock against each other for long.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.lib import memory

PUBLISHED_NAME = "ropa.duckdb"
BUILD_FOLDER = "build"
PACKS_FOLDER = "packs"
_RUN_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+$")


class WarehouseMissingError(FileNotFoundError):
    """No published warehouse yet: the user has to run the pipeline first."""


def published_path(warehouse_dir: Path) -> Path:
    return warehouse_dir / PUBLISHED_NAME


def packs_dir(warehouse_dir: Path) -> Path:
    return warehouse_dir / PACKS_FOLDER


def build_path(warehouse_dir: Path, run_id: str) -> Path:
    if not _RUN_ID_PATTERN.match(run_id):
        raise ValueError(f"run id {run_id!r} cannot name a file")
    return warehouse_dir / BUILD_FOLDER / f"{run_id}.duckdb"


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to a warehouse file under the refresh's memory limit, spilling beside the
    file (pipelines/lib/memory.py): every DuckDB connection of a refresh opens through here."""
    config: dict[str, str | bool | int | float | list[str]] = {**memory.duckdb_config(path)}
    return duckdb.connect(str(path), read_only=read_only, config=config)


def connect_in_memory(spill_beside: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory database under the same memory limit, spilling to `<spill_beside>.tmp`."""
    config: dict[str, str | bool | int | float | list[str]] = {**memory.duckdb_config(spill_beside)}
    return duckdb.connect(":memory:", config=config)


@contextmanager
def read_only_connection(warehouse_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection to the published warehouse."""
    path = published_path(warehouse_dir)
    if not path.exists():
        raise WarehouseMissingError(
            f"no published warehouse at {path}: run `ropa run --exports DIR --warehouse "
            f"{warehouse_dir}` (or `ropa demo` first for the embedded demo)"
        )
    connection = connect(path, read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def publish(warehouse_dir: Path, run_id: str) -> Path:
    """Checkpoint the run's build file and atomically replace the published warehouse with it."""
    source = build_path(warehouse_dir, run_id)
    connection = connect(source)
    try:
        connection.execute("checkpoint")
    finally:
        connection.close()
    target = published_path(warehouse_dir)
    os.replace(source, target)
    _fsync_directory(warehouse_dir)
    return target


def discard_build(warehouse_dir: Path, run_id: str) -> None:
    """Remove what a failed run built; the published warehouse is untouched."""
    path = build_path(warehouse_dir, run_id)
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)


@dataclass
class Leftovers:
    """What killed runs left in `build/` and `packs/` (removed), and entries there that no run
    owns (reported, never touched)."""

    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def remove_leftovers(warehouse_dir: Path, run_id: str) -> Leftovers:
    """Remove the build files of every run but `run_id` and the `.partial` pack folders.

    Only call this holding the refresh lock: then no other run is alive, so every other build
    file (and its .wal, and DuckDB's .tmp spill folder) and every half-written pack is a dead
    run's. Anything else (a subfolder, a symlink, a file of another name) is listed, not removed.
    """
    leftovers = Leftovers()
    builds = warehouse_dir / BUILD_FOLDER
    for entry in _entries(builds):
        owned = _BUILD_ENTRY.match(entry.name)
        if owned is None or entry.is_symlink():
            leftovers.unknown.append(f"{BUILD_FOLDER}/{entry.name}")
        elif owned["run_id"] != run_id:
            _remove_owned(entry, is_folder=owned["suffix"] == ".tmp", leftovers=leftovers)
    for entry in _entries(warehouse_dir / PACKS_FOLDER):
        if _PARTIAL_PACK.match(entry.name):
            if entry.is_dir(follow_symlinks=False):
                _remove_owned(entry, is_folder=True, leftovers=leftovers)
            else:
                leftovers.unknown.append(f"{PACKS_FOLDER}/{entry.name}")
    return leftovers


_BUILD_ENTRY = re.compile(r"^(?P<run_id>[A-Za-z0-9_.-]+?)\.duckdb(?P<suffix>|\.wal|\.tmp)$")
_PARTIAL_PACK = re.compile(r"^\..+\.partial$")


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    if not folder.is_dir():
        return []
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _remove_owned(entry: os.DirEntry[str], *, is_folder: bool, leftovers: Leftovers) -> None:
    label = f"{Path(entry.path).parent.name}/{entry.name}"
    if is_folder != entry.is_dir(follow_symlinks=False):
        leftovers.unknown.append(label)
        return
    if is_folder:
        shutil.rmtree(entry.path)
    else:
        os.unlink(entry.path)
    leftovers.removed.append(label)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def carry_over_state(connection: duckdb.DuckDBPyConnection, warehouse_dir: Path) -> list[str]:
    """Copy the tables that hold state across runs (history, dbt snapshots) into a new build.

    Each run starts from an empty file, so what earlier runs recorded would otherwise be lost.
    The published file is opened by a second connection and its rows cross as Arrow batches:
    ATTACH takes no parameter, and a path pasted into SQL breaks on a quote.
    """
    published = published_path(warehouse_dir)
    if not published.exists():
        return []
    carried = []
    with connect(published, read_only=True) as previous:
        tables = previous.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('history', 'snapshots') and table_type = 'BASE TABLE' "
            "order by all"
        ).fetchall()
        for schema, table in tables:
            name = f"{sql_identifier(schema)}.{sql_identifier(table)}"
            rows = previous.sql(f"select * from {name}").to_arrow_reader()
            connection.execute(f"create schema if not exists {sql_identifier(schema)}")
            connection.register(_CARRIED_VIEW, rows)
            try:
                connection.execute(f"create table {name} as select * from {_CARRIED_VIEW}")
            finally:
                connection.unregister(_CARRIED_VIEW)
            carried.append(f"{schema}.{table}")
    return carried


_CARRIED_VIEW = "carried_over_rows"


def published_key_fingerprint(warehouse_dir: Path) -> str | None:
    """The pseudonym key fingerprint of the run that published the warehouse; None when nothing
    is published or the warehouse predates key fingerprints."""
    if not published_path(warehouse_dir).exists():
        return None
    with read_only_connection(warehouse_dir) as connection:
        columns = connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'run_info'"
        ).fetchall()
        if ("pseudonym_key_fingerprint",) not in columns:
            return None
        row = connection.execute("select pseudonym_key_fingerprint from marts.run_info").fetchone()
    return None if row is None else str(row[0])


def sql_identifier(name: str) -> str:
    """`name` as a quoted SQL identifier, for names read from a warehouse's own catalog."""
    return '"' + name.replace('"', '""') + '"'


def sql_literal(text: str) -> str:
    """`text` as an SQL string literal: for a path in a view's definition, which takes no
    parameter."""
    return "'" + text.replace("'", "''") + "'"
