"""Where the warehouse lives, and how a run's build file becomes the published warehouse.

Readers never see a half-built warehouse: a run writes `build/<run_id>.duckdb`, and only a run
whose load, dbt build and blocking checks succeeded renames it over `ropa.duckdb` (an atomic
rename on POSIX). Readers open short-lived read-only connections, so the nightly write and the
dashboard never hold DuckDB's single-writer lock against each other for long.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

PUBLISHED_NAME = "ropa.duckdb"
BUILD_FOLDER = "build"
PACKS_FOLDER = "packs"
_STALE_BUILD_SECONDS = 24 * 3600
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


@contextmanager
def read_only_connection(warehouse_dir: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection to the published warehouse."""
    path = published_path(warehouse_dir)
    if not path.exists():
        raise WarehouseMissingError(
            f"no published warehouse at {path}: run `ropa run --exports DIR --warehouse "
            f"{warehouse_dir}` (or `ropa demo` first for the embedded demo)"
        )
    connection = duckdb.connect(str(path), read_only=True)
    try:
        yield connection
    finally:
        connection.close()


def publish(warehouse_dir: Path, run_id: str) -> Path:
    """Checkpoint the run's build file and atomically replace the published warehouse with it."""
    source = build_path(warehouse_dir, run_id)
    connection = duckdb.connect(str(source))
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


def remove_stale_builds(warehouse_dir: Path) -> None:
    """Build files of runs that died more than a day ago are garbage."""
    folder = warehouse_dir / BUILD_FOLDER
    if not folder.is_dir():
        return
    cutoff = time.time() - _STALE_BUILD_SECONDS
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def carry_over_state(connection: duckdb.DuckDBPyConnection, warehouse_dir: Path) -> list[str]:
    """Copy the tables that hold state across runs (history, dbt snapshots) into a new build.

    Each run starts from an empty file, so what earlier runs recorded would otherwise be lost.
    """
    published = published_path(warehouse_dir)
    if not published.exists():
        return []
    connection.execute(f"attach '{published}' as previous (read_only)")
    try:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'previous' and table_schema in ('history', 'snapshots') "
            "and table_type = 'BASE TABLE' order by all"
        ).fetchall()
        for schema, table in tables:
            connection.execute(f"create schema if not exists {schema}")
            connection.execute(
                f'create table {schema}."{table}" as select * from previous.{schema}."{table}"'
            )
    finally:
        connection.execute("detach previous")
    return [f"{schema}.{table}" for schema, table in tables]
