"""What dbt-spark built, copied into the run's DuckDB build file as the DuckDB build would hold it.

The checks, the publish step, `ropa findings`, the dashboard and the pack read the build file and
must not know which engine built it. So every table dbt built in the schemas they read (marts,
history, snapshots; views and the staging and intermediate layers stay in Spark) is copied from
`<spark warehouse>/<schema>.db/<table>/` with the column names, order and DuckDB types the DuckDB
engine gives it:

- a table the build already holds (history and snapshots carried from the published warehouse)
  keeps its columns and types: a DuckDB incremental run or snapshot inserts into it as it is,
  and a column new in Spark's table is appended, as `on_schema_change: append_new_columns` does;
- otherwise the columns the model's yml documents, in its order, with the `data_type` it
  declares: for the marts their enforced contract, from which the DuckDB build creates the
  table; for the history models the types their SQL casts to. The manifest is the one Dagster
  builds the assets from, parsed for the default (DuckDB) target, so the types are DuckDB's;
- a column neither names keeps the type DuckDB reads from Spark's Parquet, in Spark's order.

Why not a DuckDB build's information_schema for everything: on Spark no DuckDB build exists,
and making one would run the whole project twice. The declared types are what a DuckDB build
enforces or casts to, and the carried tables are the only others that persist. Constraints
(not null, primary keys) are not recreated: nothing reads them, dbt's tests checked the data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as pads
import pyarrow.fs as pafs

from pipelines.lake.location import SPARK_WAREHOUSE_FOLDER, Lake
from pipelines.lib import warehouse

# The schemas something reads from the DuckDB file: checks and findings (marts), the run history
# and the record's versions (history, snapshots).
COPIED_SCHEMAS = ("marts", "history", "snapshots")
_NOT_TABLES = frozenset({"view", "ephemeral"})
_SPARK_ROWS_VIEW = "spark_built_rows"


class CopyBackError(RuntimeError):
    """A table dbt-spark should have built cannot be copied into the build file."""


@dataclass(frozen=True)
class BuiltTable:
    """A table dbt builds: its documented columns in the model's order, each with the DuckDB
    type its yml declares (None: none declared), and whether a contract enforces them."""

    schema: str
    name: str
    columns: dict[str, str | None]
    enforced: bool


def built_tables(manifest_path: Path) -> list[BuiltTable]:
    """The tables (models and snapshots, not views) dbt builds in COPIED_SCHEMAS."""
    manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    tables = []
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "snapshot") or node["schema"] not in (
            COPIED_SCHEMAS
        ):
            continue
        if node["config"].get("materialized") in _NOT_TABLES:
            continue
        tables.append(
            BuiltTable(
                schema=node["schema"],
                name=node["alias"] or node["name"],
                columns={name: column.get("data_type") for name, column in node["columns"].items()},
                enforced=bool(node["config"].get("contract", {}).get("enforced")),
            )
        )
    return sorted(tables, key=lambda table: (table.schema, table.name))


def copy_back(build: Path, lake: Lake, tables: list[BuiltTable]) -> list[str]:
    """Copy each of `tables` that Spark built into `build` (replacing what the build holds under
    that name); the `schema.table`s copied. A table Spark did not build (a run of a subset) is
    left as the build holds it (a model that failed fails the dbt build before this)."""
    copied = []
    with warehouse.connect(build) as connection:
        for table in tables:
            folder = lake.path(SPARK_WAREHOUSE_FOLDER, f"{table.schema}.db", table.name)
            if not _is_folder(lake, folder):
                continue
            rows = pads.dataset(
                folder,
                filesystem=lake.filesystem,
                # Spark writes timestamps as INT96 unless told otherwise; nanoseconds would
                # overflow for dates DuckDB holds (year 9999 as "never").
                format=pads.ParquetFileFormat(
                    read_options=pads.ParquetReadOptions(coerce_int96_timestamp_unit="us")
                ),
                partitioning="hive",  # a partitioned table's folders: <column>=<value>/
            )
            _replace_table(connection, table, rows)
            copied.append(f"{table.schema}.{table.name}")
    return copied


def _is_folder(lake: Lake, folder: str) -> bool:
    return lake.filesystem.get_file_info(folder).type == pafs.FileType.Directory


def _replace_table(
    connection: duckdb.DuckDBPyConnection, table: BuiltTable, rows: pads.Dataset
) -> None:
    spark_columns = list(rows.schema.names)
    kept: dict[str, str | None] = {**_existing_columns(connection, table)}
    documented = kept or table.columns
    missing = [c for c in table.columns if spark_columns and c not in spark_columns]
    if table.enforced and missing:
        raise CopyBackError(
            f"{table.schema}.{table.name}: Spark's table lacks the contract's columns {missing}"
        )
    # A kept column Spark's table lacks stays, null in the new rows, as DuckDB keeps it. A
    # partitioned table without rows has no file to say its columns: the yml says them.
    order = [c for c in documented if c in spark_columns or c in kept or not spark_columns]
    order += [c for c in spark_columns if c not in documented]
    untyped = [c for c in order if not documented.get(c)]
    if not spark_columns and (untyped or not order):
        raise CopyBackError(
            f"{table.schema}.{table.name}: Spark's table has no Parquet file, and the model's "
            f"yml declares no data_type for {untyped or 'its columns'}"
        )
    identifier = warehouse.sql_identifier
    selected = [
        _cast(identifier(c) if c in spark_columns else "null", documented.get(c), identifier(c))
        for c in order
    ]
    name = f"{identifier(table.schema)}.{identifier(table.name)}"
    connection.execute(f"create schema if not exists {identifier(table.schema)}")
    connection.execute(f"drop table if exists {name}")
    if not spark_columns:
        definition = ", ".join(f"{identifier(c)} {documented[c]}" for c in order)
        connection.execute(f"create table {name} ({definition})")
        return
    connection.register(_SPARK_ROWS_VIEW, rows)
    try:
        columns = ", ".join(selected)
        connection.execute(f"create table {name} as select {columns} from {_SPARK_ROWS_VIEW}")
    finally:
        connection.unregister(_SPARK_ROWS_VIEW)


def _cast(value: str, duckdb_type: str | None, name: str) -> str:
    return f"cast({value} as {duckdb_type}) as {name}" if duckdb_type else f"{value} as {name}"


def _existing_columns(connection: duckdb.DuckDBPyConnection, table: BuiltTable) -> dict[str, str]:
    """The columns and DuckDB types of the build's own `schema.table` (carried over), in order."""
    rows = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [table.schema, table.name],
    ).fetchall()
    return {str(column): str(data_type) for column, data_type in rows}
