"""`ropa run --engine spark` end to end on a local Spark, on the 20k demo: the same findings,
the same record, the same tables as `--engine duckdb`.

One demo drop (`ropa demo --records 20000 --seed 1`), run once by each engine on the same date;
the Spark side into a warehouse folder whose name holds quotes and non-ASCII letters (the lake
and Spark's warehouse live under it). The minimal drop and a second, carried run are
test_spark_second_run.py's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from commands.cli import main as ropa
from tests.conftest import AS_OF
from tests.spark.published import RECORDS, findings_json, query, record_rows, run_engine

pytestmark = pytest.mark.spark

DEMO_RECORDS = 20_000
HOSTILE_WAREHOUSE = "spark 'warehouse' \"ü\""
COPIED_SCHEMAS = ("marts", "history", "snapshots")


@pytest.fixture(scope="module")
def demo_20k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    drop = tmp_path_factory.mktemp("demo_20k") / "drop"
    demo = ["demo", "--out", str(drop), "--records", str(DEMO_RECORDS), "--seed", "1"]
    assert ropa([*demo, "--as-of", AS_OF]) == 0
    return drop


@pytest.fixture(scope="module")
def duckdb_warehouse(demo_20k: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("duckdb_20k")
    run_engine(demo_20k, warehouse, AS_OF, "duckdb")
    return warehouse


@pytest.fixture(scope="module")
def spark_warehouse(demo_20k: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("spark_20k") / HOSTILE_WAREHOUSE
    run_engine(demo_20k, warehouse, AS_OF, "spark")
    return warehouse


def test_findings_are_byte_identical_to_duckdbs(
    spark_warehouse: Path, duckdb_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spark = findings_json(spark_warehouse, capsys)
    assert len(json.loads(spark)["findings"]) > 30  # the demo fails most checks somewhere
    assert spark == findings_json(duckdb_warehouse, capsys)


@pytest.mark.parametrize("record", RECORDS)
def test_the_record_has_duckdbs_rows(
    spark_warehouse: Path, duckdb_warehouse: Path, record: str
) -> None:
    spark = record_rows(spark_warehouse, record)
    assert len(spark) > 10
    assert spark == record_rows(duckdb_warehouse, record)


def test_every_copied_table_has_duckdbs_columns_types_and_row_count(
    spark_warehouse: Path, duckdb_warehouse: Path
) -> None:
    """What the checks, the dashboard and the pack read is as a DuckDB build holds it."""
    schemas = ", ".join(f"'{schema}'" for schema in COPIED_SCHEMAS)
    columns_sql = (
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "join information_schema.tables using (table_catalog, table_schema, table_name) "
        f"where table_type = 'BASE TABLE' and table_schema in ({schemas}) "
        "order by table_schema, table_name, ordinal_position"
    )
    spark_columns = query(spark_warehouse, columns_sql)
    assert spark_columns == query(duckdb_warehouse, columns_sql)
    tables = sorted({(schema, table) for schema, table, _, _ in spark_columns})
    counts_sql = " union all ".join(
        f"select '{schema}.{table}', count(*) from {schema}.{table}" for schema, table in tables
    )
    assert query(spark_warehouse, counts_sql) == query(duckdb_warehouse, counts_sql)


def test_the_lake_is_under_the_warehouse(spark_warehouse: Path) -> None:
    lake = spark_warehouse / "lake"
    sources = "select count(distinct _source_file) from raw.records"
    [(record_files,)] = query(spark_warehouse, sources)
    parts = list((lake / "raw" / "records").glob("*.parquet"))
    assert len(parts) == record_files and len(parts) > 10
    assert list((lake / "spark-warehouse" / "marts.db" / "ropa_controller").glob("*.parquet"))
    assert not (lake / "carried" / "history").exists()  # a first run carries nothing
