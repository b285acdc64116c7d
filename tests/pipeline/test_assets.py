"""The load and publish assets materialised directly on the minimal drop, without dbt.

Between the plain loader tests and the full `ropa run`: the real assets, the real settings
resource and a real DuckDB file in a temporary warehouse, run by `dg.materialize`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.assets.load import export_drop
from pipelines.assets.publish import published_warehouse
from pipelines.lib import warehouse
from pipelines.load.errors import DropError
from pipelines.resources import RopaSettings, refresh_lock_resource
from tests.conftest import AS_OF


def _resources(drop: Path, warehouse_dir: Path, as_of: str = AS_OF) -> dict[str, object]:
    settings = RopaSettings(exports_dir=str(drop), warehouse_dir=str(warehouse_dir), as_of=as_of)
    return {"settings": settings, "refresh_lock": refresh_lock_resource}


def test_export_drop_loads_every_file_into_the_runs_build_file(
    minimal_drop: Path, tmp_path: Path
) -> None:
    warehouse_dir = tmp_path / "warehouse"
    result = dg.materialize([export_drop], resources=_resources(minimal_drop, warehouse_dir))
    assert result.success
    build = warehouse.build_path(warehouse_dir, result.run_id)
    with duckdb.connect(str(build), read_only=True) as connection:
        files = connection.execute("select source_file, rows_read from raw.load_audit").fetchall()
        run_info = connection.execute("select run_id, as_of from raw.run_info").fetchall()
    loaded = {source_file for source_file, _ in files}
    assert "records/portal/accounts.csv" in loaded and "vendors.csv" in loaded
    assert run_info == [(result.run_id, dt.date.fromisoformat(AS_OF))]
    rows = {
        event.asset_key.path[-1]: event.step_materialization_data.materialization.metadata["rows"]
        for event in result.get_asset_materialization_events()
    }
    assert rows["records"].value > 0
    assert not warehouse.published_path(warehouse_dir).exists()  # nothing published by a load


def test_export_drop_without_as_of_evaluates_the_day_the_run_was_created(
    minimal_drop: Path, tmp_path: Path
) -> None:
    warehouse_dir = tmp_path / "warehouse"
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [export_drop],
        resources=_resources(minimal_drop, warehouse_dir, as_of=""),
        instance=instance,
    )
    record = instance.get_run_record_by_id(result.run_id)
    assert record is not None
    with duckdb.connect(
        str(warehouse.build_path(warehouse_dir, result.run_id)), read_only=True
    ) as c:
        (as_of,) = c.execute("select as_of from raw.run_info").fetchone() or (None,)
    assert as_of == record.create_timestamp.astimezone(dt.UTC).date()


def test_a_broken_drop_fails_the_load_and_publishes_nothing(
    minimal_drop: Path, tmp_path: Path
) -> None:
    (minimal_drop / "vendors.csv").write_text(
        "vendor_key,legal_name\nacme,Acme\n", encoding="utf-8"
    )
    warehouse_dir = tmp_path / "warehouse"
    with pytest.raises(DropError, match=r"vendors\.csv"):
        dg.materialize([export_drop], resources=_resources(minimal_drop, warehouse_dir))
    assert not warehouse.published_path(warehouse_dir).exists()


def test_publish_renames_the_runs_build_file_over_the_published_warehouse(
    minimal_drop: Path, tmp_path: Path
) -> None:
    warehouse_dir = tmp_path / "warehouse"
    result = dg.materialize(
        [export_drop, published_warehouse],
        resources=_resources(minimal_drop, warehouse_dir),
        selection=[*export_drop.keys, published_warehouse.key],
    )
    assert result.success
    published = warehouse.published_path(warehouse_dir)
    assert published.is_file()
    assert not warehouse.build_path(warehouse_dir, result.run_id).exists()
    with duckdb.connect(str(published), read_only=True) as connection:
        (run_id,) = connection.execute("select run_id from raw.run_info").fetchone() or (None,)
    assert run_id == result.run_id
