"""The lake the Spark engine reads, written from a real build file (no Spark needed).

The published minimal warehouse holds what a build holds after the load: the raw tables, and the
history and snapshots a run carries over.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.dataset as pads
import pytest

from pipelines.lake.export import part_name, write_lake
from pipelines.lake.location import Lake

HOSTILE_FOLDER = "lake 'quoted' \"twice\" ü 湖"
HOSTILE_SOURCE = 'records/portal/it\'s "ü" 100%.csv'


def _sorted_rows(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)


@pytest.fixture
def build(minimal_warehouse: Path, tmp_path: Path) -> Path:
    """A build file as the load leaves it, one record file renamed to a hostile name. The
    load's raw.records is a view over the record files' parts: here, a table of its rows."""
    path = tmp_path / "build.duckdb"
    shutil.copy(minimal_warehouse / "ropa.duckdb", path)
    with duckdb.connect(str(path)) as connection:
        connection.execute(
            "create table raw.renamed_records as select * replace (case _source_file when ? "
            "then ? else _source_file end as _source_file) from raw.records",
            ["records/portal/accounts.csv", HOSTILE_SOURCE],
        )
        connection.execute("drop view raw.records")
        connection.execute("alter table raw.renamed_records rename to records")
    return path


def test_each_raw_table_is_in_the_lake_one_part_per_source_file(
    build: Path, tmp_path: Path
) -> None:
    lake = Lake(str(tmp_path / HOSTILE_FOLDER))
    written = write_lake(build, lake)
    with duckdb.connect(str(build), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'raw' and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]
        sources = [
            source
            for (source,) in connection.execute(
                "select distinct _source_file from raw.records order by 1"
            ).fetchall()
        ]
        for table in tables:
            expected = connection.sql(f'select * from raw."{table}"').to_arrow_table()
            lake_rows = pads.dataset(str(tmp_path / HOSTILE_FOLDER / "raw" / table)).to_table()
            assert lake_rows.schema == expected.schema, table
            assert _sorted_rows(lake_rows.to_pylist()) == _sorted_rows(expected.to_pylist()), table
    assert sorted(written.raw_parts) == tables
    assert HOSTILE_SOURCE in sources and len(sources) >= 3
    records = tmp_path / HOSTILE_FOLDER / "raw" / "records"
    assert sorted(p.name for p in records.iterdir()) == sorted(
        f"{part_name(source)}.parquet" for source in sources
    )
    # Pseudonymised keys stay bytes (the blob the DuckDB build holds), never text.
    assert str(pads.dataset(str(records)).schema.field("record_key").type) == "binary"
    # A table without source files, and an empty one, are a single part.
    for table in ("run_info", "customer_systems"):
        assert [p.name for p in (records.parent / table).iterdir()] == ["all.parquet"]


def test_the_carried_state_is_the_builds_history_and_snapshots(build: Path, tmp_path: Path) -> None:
    lake = Lake(str(tmp_path / HOSTILE_FOLDER))
    written = write_lake(build, lake)
    carried = tmp_path / HOSTILE_FOLDER / "carried"
    assert "history.run_history" in written.carried
    assert "snapshots.ropa_controller_snapshot" in written.carried
    assert sorted(f"{p.parent.name}.{p.stem}" for p in carried.glob("*/*.parquet")) == sorted(
        written.carried
    )
    with duckdb.connect(str(build), read_only=True) as connection:
        history = connection.sql("select * from history.run_history").to_arrow_table()
    assert pads.dataset(str(carried / "history" / "run_history.parquet")).to_table() == history


def test_a_second_write_removes_what_left_the_build(build: Path, tmp_path: Path) -> None:
    lake = Lake(str(tmp_path / HOSTILE_FOLDER))
    write_lake(build, lake)
    with duckdb.connect(str(build)) as connection:
        connection.execute("delete from raw.records where _source_file = ?", [HOSTILE_SOURCE])
        connection.execute("drop schema snapshots cascade")
    written = write_lake(build, lake)
    records = tmp_path / HOSTILE_FOLDER / "raw" / "records"
    assert f"{part_name(HOSTILE_SOURCE)}.parquet" not in {p.name for p in records.iterdir()}
    assert written.raw_parts["records"] == len(list(records.iterdir()))
    assert not (tmp_path / HOSTILE_FOLDER / "carried" / "snapshots").exists()
    assert not [p for p in records.parent.rglob(".*")]  # no partial part left behind


def test_the_loads_records_view_is_written_one_part_per_source_file(
    minimal_warehouse: Path, tmp_path: Path
) -> None:
    """As the load leaves it, raw.records is a view over the record files' parts."""
    build = tmp_path / "build.duckdb"
    shutil.copy(minimal_warehouse / "ropa.duckdb", build)
    with duckdb.connect(str(build), read_only=True) as connection:
        [(sources,)] = connection.execute(
            "select count(distinct _source_file) from raw.records"
        ).fetchall()
    written = write_lake(build, Lake(str(tmp_path / "lake")))
    assert written.raw_parts["records"] == sources >= 3
