"""A second `ropa run --engine spark` over a published warehouse, on the minimal drop: the
history and snapshots it carries, and what it adds to them, are the DuckDB engine's.

Both engines start from copies of the session's `minimal_warehouse` (the minimal drop published
as of AS_OF) and run again a day later over the same drop with one register file changed (an
activity renamed, so the controller snapshot gains a version). The first, from-scratch Spark run
is test_spark_run.py's, on the 20k demo.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import AS_OF, MINIMAL_DROP
from tests.spark.published import RECORDS, findings_json, query, record_rows, run_engine

pytestmark = pytest.mark.spark

NEXT_DAY = "2026-11-30"
ACTIVITY = "portal:essential.service"
OLD_NAME, NEW_NAME = "Provide the service", "Provide the account service"
# What differs between any two runs: the run's Dagster id and clock, dbt's snapshot times.
RUN_COLUMNS = ("run_id", "started_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from")
CARRIED_SCHEMAS = ("history", "snapshots")


@pytest.fixture(scope="module")
def renamed_drop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    drop = tmp_path_factory.mktemp("renamed") / "drop"
    shutil.copytree(MINIMAL_DROP, drop)
    portal = drop / "register" / "systems" / "portal.yml"
    text = portal.read_text()
    assert text.count(f"name: {OLD_NAME}\n") == 1
    portal.write_text(text.replace(f"name: {OLD_NAME}\n", f"name: {NEW_NAME}\n"))
    return drop


def _second_run(
    engine: str, drop: Path, published: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    warehouse = tmp_path_factory.mktemp(f"second_{engine}") / "warehouse"
    shutil.copytree(published, warehouse)
    run_engine(drop, warehouse, NEXT_DAY, engine)
    return warehouse


@pytest.fixture(scope="module")
def duckdb_warehouse(
    renamed_drop: Path, minimal_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return _second_run("duckdb", renamed_drop, minimal_warehouse, tmp_path_factory)


@pytest.fixture(scope="module")
def spark_warehouse(
    renamed_drop: Path, minimal_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return _second_run("spark", renamed_drop, minimal_warehouse, tmp_path_factory)


def test_findings_are_byte_identical_to_duckdbs(
    spark_warehouse: Path, duckdb_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spark = findings_json(spark_warehouse, capsys)
    assert json.loads(spark)["as_of"] == NEXT_DAY
    assert spark == findings_json(duckdb_warehouse, capsys)


@pytest.mark.parametrize("record", RECORDS)
def test_the_record_has_duckdbs_rows(
    spark_warehouse: Path, duckdb_warehouse: Path, record: str
) -> None:
    spark = record_rows(spark_warehouse, record)
    assert spark
    assert spark == record_rows(duckdb_warehouse, record)


def _carried_tables(warehouse: Path) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{schema}'" for schema in CARRIED_SCHEMAS)
    return [
        (str(schema), str(table))
        for schema, table in query(
            warehouse,
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({schemas}) and table_type = 'BASE TABLE' order by all",
        )
    ]


def _rows_without_run_columns(warehouse: Path, schema: str, table: str) -> list[tuple[object, ...]]:
    """A table's rows without what only says which run wrote them; of dbt_valid_to, whether it
    is set (a closed version), not when."""
    columns = query(
        warehouse,
        "select column_name from information_schema.columns "
        f"where table_schema = '{schema}' and table_name = '{table}' order by ordinal_position",
    )
    kept = [f'"{name}"' for (name,) in columns if name not in RUN_COLUMNS]
    kept = [("dbt_valid_to is null" if name == '"dbt_valid_to"' else name) for name in kept]
    return query(warehouse, f"select {', '.join(kept)} from {schema}.{table} order by all")


def test_history_and_snapshots_are_duckdbs(spark_warehouse: Path, duckdb_warehouse: Path) -> None:
    tables = _carried_tables(spark_warehouse)
    assert ("history", "run_history") in tables and ("snapshots", "ropa_processor_snapshot") in (
        tables
    )
    assert tables == _carried_tables(duckdb_warehouse)
    for schema, table in tables:
        spark = _rows_without_run_columns(spark_warehouse, schema, table)
        assert spark == _rows_without_run_columns(duckdb_warehouse, schema, table), table


def test_the_first_runs_history_is_carried_as_it_was(
    spark_warehouse: Path, minimal_warehouse: Path
) -> None:
    first_run = "select * from history.{} where as_of = date '" + AS_OF + "' order by all"
    for table in ("run_history", "finding_history"):
        carried = query(spark_warehouse, first_run.format(table))
        assert carried
        assert carried == query(minimal_warehouse, first_run.format(table)), table
    assert query(
        spark_warehouse, "select cast(as_of as varchar) from history.run_history order by 1"
    ) == [(AS_OF,), (NEXT_DAY,)]


def test_the_renamed_activity_has_a_new_version(spark_warehouse: Path) -> None:
    versions = query(
        spark_warehouse,
        "select activity_name, cast(recorded_on as varchar), dbt_valid_to is null "
        f"from snapshots.ropa_controller_snapshot where activity_key = '{ACTIVITY}' order by 2",
    )
    assert versions == [(OLD_NAME, AS_OF, False), (NEW_NAME, NEXT_DAY, True)]
    lake = spark_warehouse / "lake" / "carried"
    assert (lake / "snapshots" / "ropa_controller_snapshot.parquet").is_file()
    assert (lake / "history" / "run_history.parquet").is_file()
