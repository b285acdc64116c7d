"""The run's build file as the lake Spark reads: the raw tables and the carried state as Parquet.

The load validates, types and pseudonymises into the DuckDB build file exactly as for the DuckDB
engine; this writes what it loaded, and the history and snapshots the build carries over from
the published warehouse (warehouse.carry_over_state), under the lake. Rows cross as Arrow
batches and pyarrow writes them, so a path is never pasted into SQL and the lake may be any
filesystem pyarrow reaches. DuckDB's types arrive as Parquet's: varchar as string, blob as
binary, bigint, boolean, date, timestamp (microseconds, no time zone).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from pipelines.lake.location import CARRIED_FOLDER, RAW_FOLDER, Lake
from pipelines.lib import warehouse
from pipelines.load.raw_tables import RAW_SCHEMA

CARRIED_SCHEMAS = ("history", "snapshots")
# A table with this column gets one part per source file: one changed file, one changed part.
SOURCE_FILE_COLUMN = "_source_file"
# The part of a table without source files, and of an empty one: Spark infers a table's columns
# from its files, so an empty table still has one (empty) part.
WHOLE_TABLE_PART = "all"
UNSOURCED_PART = "no-source-file"
_ROW_GROUP_ROWS = 122_880  # DuckDB's own Parquet row group


@dataclass
class LakeWritten:
    """What the lake holds after `write_lake`: parts per raw table, carried `schema.table`s."""

    raw_parts: dict[str, int] = field(default_factory=dict)
    carried: list[str] = field(default_factory=list)


def write_lake(build: Path, lake: Lake) -> LakeWritten:
    """Write the raw tables and the carried state of `build` under `lake`, replacing the
    previous run's: a raw part whose source file left the drop is removed, and `carried/`
    holds only what this run carries (nothing on a first run)."""
    written = LakeWritten()
    with warehouse.connect(build, read_only=True) as connection:
        for _, raw_table in _base_tables(connection, (RAW_SCHEMA,), with_views=True):
            written.raw_parts[raw_table] = _write_raw_table(connection, lake, raw_table)
        lake.replace_folder(CARRIED_FOLDER)
        for schema, table in _base_tables(connection, CARRIED_SCHEMAS):
            lake.filesystem.create_dir(lake.path(CARRIED_FOLDER, schema), recursive=True)
            rows = _select(connection, schema, table)
            _write_part(lake.filesystem, lake.path(CARRIED_FOLDER, schema), table, rows)
            written.carried.append(f"{schema}.{table}")
    return written


def part_name(source_file: str | None) -> str:
    """The part of a table that holds `source_file`'s rows: the first 16 hex digits of the
    path's SHA-256, a name safe on every filesystem whatever the drop's file names are."""
    if source_file is None:
        return UNSOURCED_PART
    return hashlib.sha256(source_file.encode()).hexdigest()[:16]


def _write_raw_table(connection: duckdb.DuckDBPyConnection, lake: Lake, table: str) -> int:
    folder = lake.path(RAW_FOLDER, table)
    lake.filesystem.create_dir(folder, recursive=True)
    columns = {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ?",
            [RAW_SCHEMA, table],
        ).fetchall()
    }
    name = _qualified(RAW_SCHEMA, table)
    sources: list[str | None] = []
    if SOURCE_FILE_COLUMN in columns:
        sources = [
            source
            for (source,) in connection.execute(
                f"select distinct {SOURCE_FILE_COLUMN} from {name} order by all"
            ).fetchall()
        ]
    # One query at a time: a second query on the connection would end the first one's reader.
    if not sources:
        whole = _select(connection, RAW_SCHEMA, table)
        _write_part(lake.filesystem, folder, WHOLE_TABLE_PART, whole)
    for source in sources:
        rows = connection.sql(
            f"select * from {name} where {SOURCE_FILE_COLUMN} is not distinct from ?",
            params=[source],
        ).to_arrow_reader(_ROW_GROUP_ROWS)
        _write_part(lake.filesystem, folder, part_name(source), rows)
    parts = [part_name(source) for source in sources] or [WHOLE_TABLE_PART]
    _remove_other_files(lake.filesystem, folder, {f"{part}.parquet" for part in parts})
    return len(parts)


def _base_tables(
    connection: duckdb.DuckDBPyConnection, schemas: tuple[str, ...], *, with_views: bool = False
) -> list[tuple[str, str]]:
    """The tables of `schemas`; `with_views` for raw, whose `records` is a view over the
    record files' parts (pipelines/load/record_parts.py)."""
    types = ["BASE TABLE", "VIEW"] if with_views else ["BASE TABLE"]
    rows = connection.execute(
        "select table_schema, table_name from information_schema.tables "
        "where list_contains(?, table_type) and list_contains(?, table_schema) order by all",
        [types, list(schemas)],
    ).fetchall()
    return [(schema, table) for schema, table in rows]


def _select(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> pa.RecordBatchReader:
    query = f"select * from {_qualified(schema, table)}"
    return connection.sql(query).to_arrow_reader(_ROW_GROUP_ROWS)


def _qualified(schema: str, table: str) -> str:
    return f"{warehouse.sql_identifier(schema)}.{warehouse.sql_identifier(table)}"


def _write_part(
    filesystem: pafs.FileSystem, folder: str, part: str, rows: pa.RecordBatchReader
) -> None:
    """`<folder>/<part>.parquet`, written under a hidden name (Spark skips names starting with a
    dot) and then moved into place, so no reader sees half a part."""
    partial = f"{folder}/.{part}.parquet.partial"
    with pq.ParquetWriter(partial, rows.schema, filesystem=filesystem) as writer:
        for batch in rows:
            writer.write_batch(batch, row_group_size=_ROW_GROUP_ROWS)
    filesystem.move(partial, f"{folder}/{part}.parquet")


def _remove_other_files(filesystem: pafs.FileSystem, folder: str, keep: set[str]) -> None:
    for entry in filesystem.get_file_info(pafs.FileSelector(folder)):
        if entry.base_name not in keep:
            if entry.type == pafs.FileType.Directory:
                filesystem.delete_dir(entry.path)
            else:
                filesystem.delete_file(entry.path)
