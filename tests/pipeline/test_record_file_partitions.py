"""The per-file load in the Dagster graph: drop/record_file, one dynamic partition per file.

Real Dagster runs (`dg.materialize`, one run per partition as a deployment's backfill makes
them), real parts in a temporary warehouse, and the load of the drop inserting them.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.assets.load import PARTS_REUSED, export_drop
from pipelines.assets.record_files import (
    PART_REUSED,
    RECORD_FILE_KEY,
    RECORD_FILES_NAME,
    RECORD_PARTS,
    record_file,
    refresh_tags,
    sync_record_partitions,
)
from pipelines.definitions import defs
from pipelines.lib import warehouse
from pipelines.lib.pseudonym import load_or_create_key
from pipelines.load.drop import load_drop
from pipelines.load.record_parts import PARTS_FOLDER
from pipelines.resources import RopaSettings, refresh_lock_resource
from tests.conftest import AS_OF

RECORD_FILES = [
    "records/chat/transcripts.jsonl",
    "records/portal/accounts.csv",
    "records/shadow_tool/exports.parquet",
]


def _resources(drop: Path, warehouse_dir: Path) -> dict[str, object]:
    settings = RopaSettings(exports_dir=str(drop), warehouse_dir=str(warehouse_dir), as_of=AS_OF)
    return {"settings": settings, "refresh_lock": refresh_lock_resource}


def _parts_metadata(result: dg.ExecuteInProcessResult) -> dict[str, dict[str, object]]:
    [event] = [
        e for e in result.get_asset_materialization_events() if e.asset_key == RECORD_FILE_KEY
    ]
    value = event.step_materialization_data.materialization.metadata[RECORD_PARTS].value
    assert isinstance(value, dict)
    return value


def test_two_partitions_are_materialised_on_their_own_and_the_load_uses_their_parts(
    minimal_drop: Path, tmp_path: Path
) -> None:
    warehouse_dir = tmp_path / "warehouse"
    instance = dg.DagsterInstance.ephemeral()
    assert sync_record_partitions(instance, minimal_drop) == RECORD_FILES
    resources = _resources(minimal_drop, warehouse_dir)
    loaded = {}
    for partition in RECORD_FILES[:2]:  # two runs, as two workers of a backfill would make them
        result = dg.materialize(
            [record_file], partition_key=partition, resources=resources, instance=instance
        )
        assert result.success
        parts = _parts_metadata(result)
        assert list(parts) == [partition] and parts[partition][PART_REUSED] is False
        loaded |= parts
    assert len(list((warehouse_dir / PARTS_FOLDER).iterdir())) == 2
    materialized = instance.get_materialized_partitions(RECORD_FILE_KEY)
    assert materialized == set(RECORD_FILES[:2])

    load = dg.materialize([export_drop], resources=resources, instance=instance)
    assert load.success
    [records] = [
        e.step_materialization_data.materialization.metadata
        for e in load.get_asset_materialization_events()
        if e.asset_key.path[-1] == "records"
    ]
    assert records[PARTS_REUSED].value == RECORD_FILES[:2]  # the third was built by the load
    assert len(list((warehouse_dir / PARTS_FOLDER).iterdir())) == 3

    # The rows are a whole load's, and each partition's counts are its file's.
    scratch = tmp_path / "scratch.duckdb"
    with duckdb.connect(str(scratch)) as connection:
        load_drop(
            minimal_drop,
            connection,
            run_id="scratch",
            as_of=dt.date.fromisoformat(AS_OF),
            pseudonym_key=load_or_create_key(warehouse_dir),
            parts=tmp_path / "scratch_parts",
        )
    build = warehouse.build_path(warehouse_dir, load.run_id)
    sql = {
        "records": "select * from raw.records order by all",
        "rejects": "select * from raw.rejects order by all",
        "counts": "select source_file, rows_loaded, rows_rejected from raw.load_audit "
        "where source_file like 'records/%' order by all",
    }
    with (
        duckdb.connect(str(build), read_only=True) as built,
        duckdb.connect(str(scratch), read_only=True) as expected,
    ):
        for query in sql.values():
            assert built.execute(query).fetchall() == expected.execute(query).fetchall()
        counts = built.execute(sql["counts"]).fetchall()
    for source_file, rows_loaded, rows_rejected in counts:
        if source_file in loaded:
            assert (loaded[source_file]["rows_loaded"], loaded[source_file]["rows_rejected"]) == (
                rows_loaded,
                rows_rejected,
            )


def test_a_partition_run_of_a_file_no_longer_in_the_drop_loads_nothing(
    minimal_drop: Path, tmp_path: Path
) -> None:
    instance = dg.DagsterInstance.ephemeral()
    sync_record_partitions(instance, minimal_drop)
    (minimal_drop / RECORD_FILES[0]).unlink()
    result = dg.materialize(
        [record_file],
        partition_key=RECORD_FILES[0],
        resources=_resources(minimal_drop, tmp_path / "warehouse"),
        instance=instance,
    )
    assert result.success and _parts_metadata(result) == {}
    assert sync_record_partitions(instance, minimal_drop) == RECORD_FILES[1:]
    assert instance.get_dynamic_partitions(RECORD_FILES_NAME) == RECORD_FILES[1:]


def test_the_nightly_schedule_asks_for_every_record_file_of_the_drop(
    minimal_drop: Path, tmp_path: Path
) -> None:
    with dg.instance_for_test() as instance:  # a persistent instance, as the daemon's
        instance.add_dynamic_partitions(RECORD_FILES_NAME, ["records/gone/old.csv"])
        context = dg.build_schedule_context(
            instance=instance,
            scheduled_execution_time=dt.datetime(2026, 11, 30, 2, 0),
            resources={"settings": _resources(minimal_drop, tmp_path / "warehouse")["settings"]},
            repository_def=defs.get_repository_def(),
        )
        schedule = defs.resolve_schedule_def("nightly_refresh")
        [request] = schedule.evaluate_tick(context).run_requests or []
        assert instance.get_dynamic_partitions(RECORD_FILES_NAME) == RECORD_FILES
    assert request.tags["dagster/asset_partition_range_start"] == RECORD_FILES[0]
    assert request.tags["dagster/asset_partition_range_end"] == RECORD_FILES[-1]
    assert request.asset_selection is None  # the whole job
    assert request.run_config["resources"]["settings"]["config"]["as_of"] == "2026-11-30"


def test_a_run_given_no_partition_loads_every_record_file(
    minimal_drop: Path, tmp_path: Path
) -> None:
    """`dagster job execute` without tags, or a drop without record files (no partitions)."""
    warehouse_dir = tmp_path / "warehouse"
    result = dg.materialize([record_file], resources=_resources(minimal_drop, warehouse_dir))
    assert result.success and sorted(_parts_metadata(result)) == RECORD_FILES
    assert len(list((warehouse_dir / PARTS_FOLDER).iterdir())) == 3
    for relative in RECORD_FILES:
        (minimal_drop / relative).unlink()
    assert refresh_tags(dg.DagsterInstance.ephemeral(), minimal_drop) == {}


@pytest.mark.slow
def test_dagster_validates_the_definitions(minimal_drop: Path, tmp_path: Path) -> None:
    """What the UI and the daemon load, partitions included (`dagster definitions validate`)."""
    environment = {
        **os.environ,
        "ROPA_EXPORTS_DIR": str(minimal_drop),
        "ROPA_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }
    (tmp_path / "dagster").mkdir()
    dagster = Path(sys.executable).parent / "dagster"
    validated = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "pipelines.definitions"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "Validation successful" in validated.stdout + validated.stderr
