"""Configuration of a refresh: where the drop and the warehouse are, and the evaluation date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
from pydantic import Field

from pipelines.lib import warehouse


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

    def evaluation_date(self, run_created_at: dt.datetime) -> dt.date:
        """The run's one evaluation date: every step derives it from the same run creation
        time, so a run started at 23:59 UTC without `as_of` does not change date mid-run."""
        if not self.as_of:
            return run_created_at.astimezone(dt.UTC).date()
        return dt.date.fromisoformat(self.as_of)

    def dbt_vars(self, run_id: str, as_of: dt.date) -> dict[str, str]:
        """What dbt receives for a run: the evaluation date, the run id and the build file
        (the profile reads `duckdb_path`, so nothing mutates the process environment)."""
        return {
            "as_of": as_of.isoformat(),
            "run_id": run_id,
            "duckdb_path": str(self.build_path(run_id)),
        }

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
