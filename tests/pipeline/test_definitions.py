"""The Dagster definitions the UI and the daemon load: one lineage, schedule, sensor, checks."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import defs
from pipelines.jobs import REFRESH_JOB_NAME


def test_schedule_runs_nightly_and_by_default() -> None:
    schedule = defs.resolve_schedule_def("nightly_refresh")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert schedule.job_name == REFRESH_JOB_NAME
    # What it asks for: tests/pipeline/test_record_file_partitions.py


def test_failure_sensor_watches_the_refresh() -> None:
    sensor = defs.resolve_sensor_def("refresh_failure_alert")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_lineage_runs_from_load_assets_through_dbt_to_checks_and_publish() -> None:
    graph = defs.resolve_asset_graph()
    records = dg.AssetKey(["drop", "records"])
    assert records in graph.get_all_asset_keys()
    # The staging model of the records table reads the load asset: one lineage, not two.
    staging = dg.AssetKey(["staging", "stg_drop__records"])
    assert records in graph.get(staging).parent_keys
    check_keys = {key.name for key in graph.asset_check_keys}
    assert len(check_keys) >= 24
    published = dg.AssetKey(["published_warehouse"])
    assert dg.AssetKey(["marts", "findings"]) in graph.get(published).parent_keys


def test_failure_alert_is_logged(tmp_path: object) -> None:
    import json
    from pathlib import Path

    from pipelines.jobs import record_alert

    folder = Path(str(tmp_path))
    record_alert(
        folder, "run-1", "vendors.csv, line 1 (header), field 'role': required column missing"
    )
    line = json.loads((folder / "alerts.log").read_text().splitlines()[0])
    assert line["run_id"] == "run-1" and "vendors.csv" in line["message"]
