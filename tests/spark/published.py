"""What the Spark tests read of a published warehouse, to compare it with the DuckDB engine's."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from commands.cli import main as ropa

# The one column of the record stamped with the run's clock: when its files were loaded.
RUN_CLOCK_COLUMNS = {"ropa_controller": "loaded_at"}
RECORDS = ("ropa_controller", "ropa_processor")


def run_engine(drop: Path, warehouse: Path, as_of: str, engine: str) -> None:
    run = ["run", "--exports", str(drop), "--warehouse", str(warehouse), "--as-of", as_of]
    assert ropa([*run, "--engine", engine]) == 0


def findings_json(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """`ropa findings --format json`, as a regulator's script reads it."""
    capsys.readouterr()
    assert ropa(["findings", "--warehouse", str(warehouse), "--format", "json"]) == 0
    return capsys.readouterr().out


def query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def record_rows(warehouse: Path, record: str) -> list[tuple[object, ...]]:
    """The record's rows, without the column the run's clock stamps (checked to be filled)."""
    clock = RUN_CLOCK_COLUMNS.get(record)
    columns = f"* exclude ({clock})" if clock else "*"
    rows = query(warehouse, f"select {columns} from marts.{record} order by all")
    if clock:
        assert query(warehouse, f"select count({clock}) from marts.{record}") == [(len(rows),)]
    return rows
