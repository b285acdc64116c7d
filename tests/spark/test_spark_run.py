"""`ropa run --engine spark` end to end on a local Spark: the same findings, the same record.

The DuckDB side is the session's `minimal_warehouse`; the Spark side runs the same drop on the
same date into a warehouse folder whose name holds quotes and non-ASCII letters (the lake and
Spark's warehouse live under it).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from commands.cli import main as ropa
from tests.conftest import AS_OF, MINIMAL_DROP

pytestmark = pytest.mark.spark

HOSTILE_WAREHOUSE = "spark 'warehouse' \"ü\""
COPIED_SCHEMAS = ("marts", "history", "snapshots")


@pytest.fixture(scope="module")
def spark_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("spark") / HOSTILE_WAREHOUSE
    run = ["run", "--exports", str(MINIMAL_DROP), "--warehouse", str(warehouse)]
    assert ropa([*run, "--as-of", AS_OF, "--engine", "spark"]) == 0
    return warehouse


def _findings_json(warehouse: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert ropa(["findings", "--warehouse", str(warehouse), "--format", "json"]) == 0
    return capsys.readouterr().out


def _query(warehouse: Path, sql: str) -> list[tuple[object, ...]]:
    with duckdb.connect(str(warehouse / "ropa.duckdb"), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_findings_are_byte_identical_to_duckdbs(
    spark_warehouse: Path, minimal_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spark = _findings_json(spark_warehouse, capsys)
    assert '"findings": [' in spark
    assert spark == _findings_json(minimal_warehouse, capsys)


# The one column of the record stamped with the run's clock: when its files were loaded.
RUN_CLOCK_COLUMNS = {"ropa_controller": "loaded_at"}


@pytest.mark.parametrize("record", ["ropa_controller", "ropa_processor"])
def test_the_record_has_duckdbs_rows(
    spark_warehouse: Path, minimal_warehouse: Path, record: str
) -> None:
    clock = RUN_CLOCK_COLUMNS.get(record)
    columns = f"* exclude ({clock})" if clock else "*"
    sql = f"select {columns} from marts.{record} order by all"
    spark = _query(spark_warehouse, sql)
    assert spark
    assert spark == _query(minimal_warehouse, sql)
    if clock:
        assert _query(spark_warehouse, f"select count({clock}) from marts.{record}") == [
            (len(spark),)
        ]


def test_every_copied_table_has_duckdbs_columns_types_and_row_count(
    spark_warehouse: Path, minimal_warehouse: Path
) -> None:
    """What the checks, the dashboard and the pack read is as a DuckDB build holds it."""
    schemas = ", ".join(f"'{schema}'" for schema in COPIED_SCHEMAS)
    columns_sql = (
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "join information_schema.tables using (table_catalog, table_schema, table_name) "
        f"where table_type = 'BASE TABLE' and table_schema in ({schemas}) "
        "order by table_schema, table_name, ordinal_position"
    )
    spark_columns = _query(spark_warehouse, columns_sql)
    assert spark_columns == _query(minimal_warehouse, columns_sql)
    tables = sorted({(schema, table) for schema, table, _, _ in spark_columns})
    counts_sql = " union all ".join(
        f"select '{schema}.{table}', count(*) from {schema}.{table}" for schema, table in tables
    )
    assert _query(spark_warehouse, counts_sql) == _query(minimal_warehouse, counts_sql)


def test_the_lake_is_under_the_warehouse(spark_warehouse: Path) -> None:
    lake = spark_warehouse / "lake"
    record_files = _query(spark_warehouse, "select count(distinct _source_file) from raw.records")[
        0
    ][0]
    assert len(list((lake / "raw" / "records").glob("*.parquet"))) == record_files
    assert list((lake / "spark-warehouse" / "marts.db" / "ropa_controller").glob("*.parquet"))
    assert not (lake / "carried" / "history").exists()  # a first run carries nothing
