"""Everything Dagster shows: load assets (the record files one partition each) → dbt models →
audit checks → publish and pack.

The UI and the daemon load `defs` (configured from the environment: ROPA_EXPORTS_DIR,
ROPA_WAREHOUSE_DIR, and ROPA_ENGINE, ROPA_LAKE_PATH for Spark); `ropa run` builds the same
definitions with its own settings. The graph is the same for both engines: the dbt step reads
the engine from the settings when it runs.
"""

import os

import dagster as dg

from pipelines.assets.checks import audit_asset_checks
from pipelines.assets.dbt import dbt_cli_resource, ropa_dbt_assets
from pipelines.assets.load import export_drop
from pipelines.assets.publish import published_warehouse, regulator_pack
from pipelines.assets.record_files import record_file
from pipelines.jobs import nightly_refresh, refresh_failure_alert, refresh_warehouse_job
from pipelines.lake.location import LAKE_PATH_ENV
from pipelines.lib.engine import engine_from_environment
from pipelines.progress import progress_logger
from pipelines.resources import RopaSettings, locked_settings, refresh_lock_resource


def _unconfigurable(resource: dg.ConfigurableResource) -> dg.ResourceDefinition:
    """`resource` as it is: a run config that names any of its fields is refused at launch."""
    return dg.ResourceDefinition(
        resource_fn=lambda _: resource,
        config_schema={},
        description=f"{type(resource).__name__}, fixed by the deployment: no run configures it.",
    )


def build_definitions(settings: RopaSettings) -> dg.Definitions:
    return dg.Definitions(
        assets=[record_file, export_drop, ropa_dbt_assets, published_warehouse, regulator_pack],
        asset_checks=audit_asset_checks,
        jobs=[refresh_warehouse_job],
        schedules=[nightly_refresh],
        sensors=[refresh_failure_alert],
        resources={
            # A run chooses its evaluation date (and whether a new pseudonym key is meant); no
            # run config points the pipeline at other folders, dbt project or dbt executable.
            "settings": locked_settings(settings),
            "dbt": _unconfigurable(dbt_cli_resource()),
            "refresh_lock": refresh_lock_resource,
        },
        loggers={"progress": progress_logger},
    )


ALERT_WEBHOOK_ENV = "ROPA_ALERT_WEBHOOK_URL"

defs = build_definitions(
    RopaSettings(
        exports_dir=dg.EnvVar("ROPA_EXPORTS_DIR"),
        warehouse_dir=dg.EnvVar("ROPA_WAREHOUSE_DIR"),
        # Optional: an EnvVar must be set, so it is only named when it is.
        alert_webhook_url=dg.EnvVar(ALERT_WEBHOOK_ENV) if ALERT_WEBHOOK_ENV in os.environ else "",
        # Read here, not as an EnvVar: Dagster resolves an EnvVar for text fields only.
        engine=engine_from_environment(),
        lake_path=dg.EnvVar(LAKE_PATH_ENV) if LAKE_PATH_ENV in os.environ else "",
    )
)
