"""The refresh job, its nightly schedule, and the alert when a refresh fails."""

import datetime as dt
import json
import logging
import os
import urllib.request
from pathlib import Path

import dagster as dg

from pipelines.assets.record_files import refresh_tags
from pipelines.lib import warehouse
from pipelines.resources import RopaSettings

REFRESH_JOB_NAME = "refresh_warehouse"
SCHEDULE_TIMEZONE_ENV = "ROPA_SCHEDULE_TIMEZONE"
ALERT_LOG_NAME = "alerts.log"
_logger = logging.getLogger("ropa.alerts")

refresh_warehouse_job = dg.define_asset_job(
    name=REFRESH_JOB_NAME,
    selection=dg.AssetSelection.all(),
    description="Load the export drop, build the record, audit it, publish, write the pack.",
    # One process: the steps share the run's build file, and DuckDB admits one writer; the
    # refresh lock resource (pipelines/resources.py) is then held once, from first to last step.
    executor_def=dg.in_process_executor,
)


@dg.schedule(
    job=refresh_warehouse_job,
    cron_schedule="0 2 * * *",
    execution_timezone=os.environ.get(SCHEDULE_TIMEZONE_ENV, "UTC"),
    default_status=dg.DefaultScheduleStatus.RUNNING,
)
def nightly_refresh(context: dg.ScheduleEvaluationContext, settings: RopaSettings) -> dg.RunRequest:
    """Every night at 02:00: evaluate the drop as of the scheduled day, over every record file
    it holds then (one partition of drop/record_file each)."""
    scheduled = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    as_of = scheduled.date().isoformat()
    return dg.RunRequest(
        run_key=f"nightly-{as_of}",
        run_config={"resources": {"settings": {"config": {"as_of": as_of}}}},
        tags={"ropa/as_of": as_of, **refresh_tags(context.instance, settings.exports_path)},
    )


def record_alert(
    warehouse_dir: Path, run_id: str, message: str, webhook_url: str = ""
) -> dict[str, str]:
    """Append the alert to `<warehouse>/alerts.log` and post it to the webhook, if configured."""
    alert = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "run_id": run_id,
        "message": message,
    }
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    with (warehouse_dir / ALERT_LOG_NAME).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(alert) + "\n")
    _logger.error("refresh %s failed: %s", run_id, message)
    if webhook_url:
        request = urllib.request.Request(
            webhook_url,
            data=json.dumps(alert).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except OSError as error:
            _logger.error("alert webhook %s failed: %s", webhook_url, error)
    return alert


@dg.run_failure_sensor(
    monitored_jobs=[refresh_warehouse_job], default_status=dg.DefaultSensorStatus.RUNNING
)
def refresh_failure_alert(context: dg.RunFailureSensorContext, settings: RopaSettings) -> None:
    """Nobody watches the nightly refresh: a failure leaves an alert and discards its build."""
    run_id = context.dagster_run.run_id
    warehouse.discard_build(settings.warehouse_path, run_id)
    message = context.failure_event.message or "run failed"
    record_alert(settings.warehouse_path, run_id, message, settings.alert_webhook_url)
