"""Configuration of a refresh: where the drop and the warehouse are, and the evaluation date."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from pydantic import Field

from pipelines.lake.location import Lake
from pipelines.lib import memory, warehouse
from pipelines.lib.engine import DEFAULT_ENGINE, Engine
from pipelines.lib.refresh_lock import HeldLock, refresh_lock

_logger = logging.getLogger(__name__)
LAKE_FOLDER = "lake"
# what the run's build file is called while dbt builds it (warehouse.remove_leftovers removes it
# after a killed run, like any run's build file)
DBT_BUILD_NAME = "dbt_build"


class RopaSettings(dg.ConfigurableResource):
    """The drop to load, the warehouse to publish, and the date the audit is evaluated on."""

    exports_dir: str
    warehouse_dir: str
    as_of: str = Field(
        default="",
        description="Evaluation date YYYY-MM-DD; empty: the UTC day the run was created.",
    )
    alert_webhook_url: str = Field(
        default="", description="Where a failed refresh's alert is posted (JSON); empty: nowhere."
    )
    accept_new_key: bool = Field(
        default=False,
        description="Publish although the pseudonym key differs from the published warehouse's "
        "(`ropa run --new-key`): every record hash changes.",
    )
    full: bool = Field(
        default=False,
        description="Hash and read every file and rebuild, even when nothing changed "
        "(`ropa run --full`): no file is taken as unchanged from its size and time.",
    )
    engine: Engine = Field(
        default=DEFAULT_ENGINE,
        description="What runs the dbt build: duckdb, in the run's build file, or spark, dbt-spark "
        "over the lake (`ropa run --engine`, ROPA_ENGINE; pipelines/lake/). The deployment's "
        "choice: no run chooses it.",
    )
    lake_path: str = Field(
        default="",
        description="The Spark engine's lake: an absolute path or a URI that Spark and pyarrow "
        "reach (s3://, gs://, hdfs://, abfs://); empty: <warehouse>/lake.",
    )

    def evaluation_date(self, run_created_at: dt.datetime) -> dt.date:
        """The run's one evaluation date: every step derives it from the same run creation
        time, so a run started at 23:59 UTC without `as_of` does not change date mid-run."""
        if not self.as_of:
            return run_created_at.astimezone(dt.UTC).date()
        return dt.date.fromisoformat(self.as_of)

    def dbt_build_path(self) -> Path:
        """The file dbt builds: the run's build file, renamed for the dbt step to a name of no
        run (pipelines/assets/dbt.py), so that dbt's profile is the same from run to run."""
        return self.build_path(DBT_BUILD_NAME)

    def dbt_vars(self) -> dict[str, str]:
        """What dbt receives: the file it builds and the memory limit and spill folder every
        connection of the run has (the profile reads `duckdb_path`, `memory_limit` and
        `temp_directory`, so nothing mutates the process environment). Nothing of the run: dbt
        parses the whole project again when its vars or profile change, so the run's id and
        evaluation date are read from raw.run_info (dbt_project/macros/as_of_date.sql)."""
        build = self.dbt_build_path()
        return {"duckdb_path": str(build), **memory.duckdb_config(build)}

    @property
    def lake(self) -> Lake:
        return Lake(self.lake_path or str(self.warehouse_path / LAKE_FOLDER))

    @property
    def exports_path(self) -> Path:
        return Path(self.exports_dir)

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse_dir)

    def build_path(self, run_id: str) -> Path:
        return warehouse.build_path(self.warehouse_path, run_id)

    def run_warehouse_path(self, run_id: str) -> Path:
        """The file this run's steps read: its build file until it is published, then the
        published warehouse (checks that run after the publish step read it there)."""
        build = self.build_path(run_id)
        return build if build.exists() else warehouse.published_path(self.warehouse_path)


@dg.resource(
    required_resource_keys={"settings"},
    config_schema={
        "wait": dg.Field(
            bool,
            default_value=False,
            description="Wait for a running refresh of the warehouse instead of failing at once.",
        )
    },
)
def refresh_lock_resource(context: dg.InitResourceContext) -> Iterator[HeldLock]:
    """Holds `<warehouse>/refresh.lock` for the whole run (pipelines/lib/refresh_lock.py).

    Dagster initialises a run's resources once, before its first step, and tears them down after
    the last; the refresh job runs in one process (in_process_executor), so the lock covers load,
    dbt, publish and pack, whether the run came from `ropa run`, the UI or the schedule.
    """
    settings: RopaSettings = context.resources.settings
    run_id = context.run.run_id if context.run is not None else "outside-a-run"
    dagster_log = context.log.warning if context.log is not None else _logger.warning

    def log(message: str) -> None:
        # The terminal's progress lines show steps only: whoever started the run must also see
        # that it waits for another refresh, or took over a stale lock.
        dagster_log(message)
        print(f"ropa: {message}", file=sys.stderr, flush=True)

    wait = bool(context.resource_config["wait"])
    with refresh_lock(settings.warehouse_path, run_id, wait=wait, log=log) as held:
        yield held


# What a launched run may choose (the schedule sets `as_of`); the folders, the webhook and
# anything else are the deployment's.
RUN_CHOICES = ("as_of", "accept_new_key", "full")


def locked_settings(settings: RopaSettings) -> dg.ResourceDefinition:
    """`settings` as the resource runs get: a run's config may set the RUN_CHOICES fields and
    nothing else. Whoever can launch a run (the UI, its GraphQL API, the schedule) works on the
    deployment's drop and warehouse folders; a run config that names another field is refused
    at launch, before the run exists, let alone touches a folder."""

    @dg.resource(
        config_schema={
            name: dg.Field(
                RopaSettings.model_fields[name].annotation,
                default_value=getattr(settings, name),
                description=RopaSettings.model_fields[name].description,
            )
            for name in RUN_CHOICES
        },
        description=RopaSettings.__doc__,
    )
    def deployment_settings(context: dg.InitResourceContext) -> RopaSettings:
        # Resolves the settings' EnvVars (the deployment's folders) as Dagster would.
        resolved = settings.process_config_and_initialize()
        return resolved.model_copy(update=dict(context.resource_config))

    return deployment_settings
