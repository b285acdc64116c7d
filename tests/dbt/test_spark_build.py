"""`dbt build --target spark` of the whole project on a local Spark, against the DuckDB build.

The raw fixtures of tests/dbt/fixtures are written as a Parquet lake (`raw/<table>/all.parquet`,
as the pipeline writes it), dbt-spark builds everything on it (`method: session`, local[2]):
seeds, models, snapshots, data tests and unit tests. A model that uses a DuckDB-only function, or
any SQL Spark reads differently, fails the build or the comparison with the DuckDB build of the
same fixtures (`dbt_built`). One Spark build per module: about 4.5 minutes on 2 cores.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.dbt_harness import DBT_PROJECT, RUN_ID, DbtProject, dbt_executable

pytestmark = pytest.mark.spark

# dbt's own columns of a snapshot row: the times differ between any two builds
SNAPSHOT_TIME_COLUMNS = ("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")


@dataclass
class SparkBuild:
    result: subprocess.CompletedProcess[str]
    run_results: dict[str, Any]
    warehouse_dir: Path

    def table(self, schema: str, table: str) -> str:
        """A DuckDB table expression reading what Spark wrote for schema.table."""
        files = f"{self.warehouse_dir}/{schema}.db/{table}/**/*.parquet"
        # a history table is partitioned by run_id (a folder run_id=<id>), read as text
        return f"read_parquet('{files}', hive_partitioning = true, hive_types_autocast = false)"


def write_lake(raw: DbtProject, lake: Path) -> None:
    """Every table of the raw schema as lake/raw/<table>/all.parquet."""
    with duckdb.connect(str(raw.warehouse)) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
        for (table,) in tables:
            folder = lake / "raw" / table
            folder.mkdir(parents=True)
            connection.execute(f"copy raw.{table} to '{folder / 'all.parquet'}' (format parquet)")


@pytest.fixture(scope="module")
def spark_built(tmp_path_factory: pytest.TempPathFactory) -> SparkBuild:
    base = tmp_path_factory.mktemp("spark_build")
    raw = DbtProject(base / "raw")
    raw.base.mkdir()
    raw.create_raw()
    write_lake(raw, base / "lake")
    warehouse_dir = base / "lake" / "spark-warehouse"
    # no as_of: as in the pipeline, the models read it from raw.run_info (the fixtures' row is
    # AS_OF, the date the DuckDB build gets as a var); run_id stays the DuckDB build's
    variables = {
        "run_id": RUN_ID,
        "lake_path": str(base / "lake"),
        "spark_warehouse_dir": str(warehouse_dir),
        # a few rows a table: one shuffle partition, not one per core
        "spark_shuffle_partitions": "1",
    }
    command = [
        dbt_executable(), "build", "--target", "spark",
        "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
        "--target-path", str(base / "target"), "--log-path", str(base / "logs"),
        "--vars", json.dumps(variables),
    ]  # fmt: skip
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    # Spark's scratch files and derby.log in the test's folder, not the project's
    result = subprocess.run(
        command, cwd=base, env=env, capture_output=True, text=True, timeout=1500
    )
    run_results_file = base / "target" / "run_results.json"
    run_results = json.loads(run_results_file.read_text()) if run_results_file.exists() else {}
    return SparkBuild(result, run_results, warehouse_dir)


def test_every_node_builds_on_spark(spark_built: SparkBuild) -> None:
    assert spark_built.result.returncode == 0, (
        spark_built.result.stdout[-8000:] + spark_built.result.stderr[-2000:]
    )
    statuses = {r["unique_id"]: r["status"] for r in spark_built.run_results["results"]}
    # exposures report no-op
    failing = {
        uid: status
        for uid, status in statuses.items()
        if status not in ("success", "pass") and not uid.startswith("exposure.")
    }
    assert not failing
    for kind in ("seed.", "snapshot.", "unit_test.", "test.", "model.ropa.finding_history"):
        assert any(uid.startswith(kind) for uid in statuses), kind


def rows(connection: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(connection.execute(sql).fetchall(), key=repr)


def test_spark_tables_equal_the_duckdb_build(
    spark_built: SparkBuild, dbt_built: DbtProject
) -> None:
    with duckdb.connect(str(dbt_built.warehouse), read_only=True) as connection:
        tables = connection.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in ('marts', 'history', 'snapshots') and table_type = 'BASE TABLE'"
            " order by 1, 2"
        ).fetchall()
        assert len(tables) > 40
        for schema, table in tables:
            columns = connection.table(f"{schema}.{table}").columns
            select = ", ".join(f'"{name}"' for name in columns if name not in SNAPSHOT_TIME_COLUMNS)
            expected = rows(connection, f"select {select} from {schema}.{table}")
            got = rows(connection, f"select {select} from {spark_built.table(schema, table)}")
            assert got == expected, f"{schema}.{table}"
