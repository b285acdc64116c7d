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
    as_of: str = Field(default="", description="Evaluation date YYYY-MM-DD; empty: today in UTC.")

    def evaluation_date(self) -> dt.date:
        if not self.as_of:
            return dt.datetime.now(dt.UTC).date()
        return dt.date.fromisoformat(self.as_of)

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
