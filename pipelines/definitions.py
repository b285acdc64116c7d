"""Everything Dagster shows: load assets → dbt models → audit checks → publish and pack.

The UI and the daemon load `defs` (configured from the environment: ROPA_EXPORTS_DIR,
ROPA_WAREHOUSE_DIR); `ropa run` builds the same definitions with its own settings.
"""

import os

import dagster as dg

from pipelines.assets.checks import audit_asset_checks
from pipelines.assets.dbt import dbt_cli_resource, ropa_dbt_assets
from pipelines.assets.load import export_drop
from pipelines.assets.publish import published_warehouse, regulator_pack
from pipelines.jobs import nightly_refresh, refresh_failure_alert, refresh_warehouse_job
from pipelines.progress import progress_logger
from pipelines.resources import RopaSettings


def build_definitions(settings: RopaSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=[export_drop, ropa_dbt_assets, published_warehouse, regulator_pack],
        asset_checks=audit_asset_checks,
        jobs=[refresh_warehouse_job],
        schedules=[nightly_refresh],
        sensors=[refresh_failure_alert],
        resources={"settings": settings, "dbt": dbt_cli_resource()},
        loggers={"progress": progress_logger},
    )


ALERT_WEBHOOK_ENV = "ROPA_ALERT_WEBHOOK_URL"

defs = build_definitions(
    RopaSettings(
        exports_dir=dg.EnvVar("ROPA_EXPORTS_DIR"),
        warehouse_dir=dg.EnvVar("ROPA_WAREHOUSE_DIR"),
        # Optional: an EnvVar must be set, so it is only named when it is.
        alert_webhook_url=dg.EnvVar(ALERT_WEBHOOK_ENV) if ALERT_WEBHOOK_ENV in os.environ else "",
    )
)
