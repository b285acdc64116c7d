"""The copy of Spark's tables into the build file, on Parquet laid out as dbt-spark writes it.

No Spark runs here (test_spark_run.py runs it): the folders are written with pyarrow as Spark
lays them out (`<schema>.db/<table>/part-*.parquet`, `_SUCCESS`, hidden `.crc` files, a
partitioned table's `<column>=<value>/` folders with the column moved last) and with Spark's own
types where they are not DuckDB's (int for bigint, a date as text), under a folder whose name
holds quotes.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.lake.copy_back import BuiltTable, CopyBackError, built_tables, copy_back
from pipelines.lake.location import Lake
from pipelines.lib.dbt_manifest import MANIFEST_PATH

NEXT_DAY = dt.date(2026, 11, 30)
LAKE_FOLDER = "lake 'it''s' \"ü\""
COLUMNS_SQL = (
    "select column_name, data_type from information_schema.columns "
    "where table_schema = ? and table_name = ? order by ordinal_position"
)


def _spark_table(lake: Path, schema: str, table: str, parts: dict[str, pa.Table]) -> None:
    folder = lake / "spark-warehouse" / f"{schema}.db" / table
    folder.mkdir(parents=True)
    (folder / "_SUCCESS").touch()
    for partition, rows in parts.items():
        (folder / partition).mkdir(parents=True, exist_ok=True)
        pq.write_table(rows, folder / partition / "part-00000-c000.snappy.parquet")
        (folder / partition / ".part-00000-c000.snappy.parquet.crc").write_bytes(b"\0crc")


def _tables(*names: str) -> list[BuiltTable]:
    wanted = {tuple(name.split(".")) for name in names}
    return [table for table in built_tables(MANIFEST_PATH) if (table.schema, table.name) in wanted]


@pytest.fixture
def published(minimal_warehouse: Path) -> Path:
    """The DuckDB engine's published file: what the copies must equal."""
    return minimal_warehouse / "ropa.duckdb"


def test_a_contracted_mart_gets_its_contracts_order_and_types(
    published: Path, tmp_path: Path
) -> None:
    lake = tmp_path / LAKE_FOLDER
    with duckdb.connect(str(published), read_only=True) as connection:
        expected_columns = connection.execute(COLUMNS_SQL, ["marts", "findings"]).fetchall()
        expected_rows = connection.execute("select * from marts.findings order by all").fetchall()
        # Spark's order is the query's, and its int is not DuckDB's bigint.
        spark_rows = connection.sql(
            "select message, cast(failing_count as integer) as failing_count, * exclude "
            "(message, failing_count) from marts.findings"
        ).to_arrow_table()
    _spark_table(lake, "marts", "findings", {"": spark_rows})
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)):
        pass
    assert copy_back(build, Lake(str(lake)), _tables("marts.findings")) == ["marts.findings"]
    with duckdb.connect(str(build), read_only=True) as connection:
        assert connection.execute(COLUMNS_SQL, ["marts", "findings"]).fetchall() == (
            expected_columns
        )
        assert connection.execute("select * from marts.findings order by all").fetchall() == (
            expected_rows
        )


def test_a_carried_history_keeps_its_columns_and_gains_spark_s_new_one(
    published: Path, tmp_path: Path
) -> None:
    """A partitioned history: run_id comes back from the folder names and goes first again."""
    lake = tmp_path / LAKE_FOLDER
    build = tmp_path / "build.duckdb"
    shutil.copy(published, build)
    with duckdb.connect(str(build), read_only=True) as connection:
        kept_columns = connection.execute(COLUMNS_SQL, ["history", "run_history"]).fetchall()
        [(run_id, as_of)] = connection.execute(
            "select run_id, as_of from history.run_history"
        ).fetchall()
        spark_rows = connection.sql(
            "select * exclude (run_id), 'new in this release' as release_note "
            "from history.run_history"
        ).to_arrow_table()
        rows = connection.execute("select * from history.run_history").fetchall()
    later = spark_rows.set_column(
        spark_rows.schema.get_field_index("as_of"), "as_of", pa.array([NEXT_DAY])
    )
    _spark_table(
        lake,
        "history",
        "run_history",
        {f"run_id={run_id}": spark_rows, "run_id=run-2": later},
    )
    copy_back(build, Lake(str(lake)), _tables("history.run_history"))
    with duckdb.connect(str(build), read_only=True) as connection:
        columns = connection.execute(COLUMNS_SQL, ["history", "run_history"]).fetchall()
        copied = connection.execute(
            "select * exclude (release_note) from history.run_history order by as_of"
        ).fetchall()
        as_of_dates = connection.execute(
            "select as_of from history.run_history order by as_of"
        ).fetchall()
    assert columns == [*kept_columns, ("release_note", "VARCHAR")]
    assert copied[0] == rows[0]
    assert copied[1][0] == "run-2"
    assert [date for (date,) in as_of_dates] == [as_of, NEXT_DAY]


def test_a_table_spark_did_not_build_is_left_as_the_build_holds_it(
    published: Path, tmp_path: Path
) -> None:
    build = tmp_path / "build.duckdb"
    shutil.copy(published, build)
    (tmp_path / LAKE_FOLDER / "spark-warehouse").mkdir(parents=True)
    assert copy_back(build, Lake(str(tmp_path / LAKE_FOLDER)), _tables("marts.findings")) == []
    with duckdb.connect(str(build), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.findings").fetchall() != [(0,)]


def test_a_partitioned_table_without_rows_needs_declared_types(
    published: Path, tmp_path: Path
) -> None:
    """No file says the columns: the yml's data_types do, or the copy fails saying so."""
    lake = tmp_path / LAKE_FOLDER
    (lake / "spark-warehouse" / "marts.db" / "findings").mkdir(parents=True)
    build = tmp_path / "build.duckdb"
    with duckdb.connect(str(build)):
        pass
    copy_back(build, Lake(str(lake)), _tables("marts.findings"))
    with duckdb.connect(str(published), read_only=True) as connection:
        expected = connection.execute(COLUMNS_SQL, ["marts", "findings"]).fetchall()
    with duckdb.connect(str(build), read_only=True) as connection:
        assert connection.execute(COLUMNS_SQL, ["marts", "findings"]).fetchall() == expected
        assert connection.execute("select count(*) from marts.findings").fetchall() == [(0,)]
    untyped = BuiltTable("marts", "findings", {"check_name": None}, enforced=False)
    fresh = tmp_path / "fresh.duckdb"
    with duckdb.connect(str(fresh)):
        pass
    with pytest.raises(CopyBackError, match="declares no data_type"):
        copy_back(fresh, Lake(str(lake)), [untyped])
