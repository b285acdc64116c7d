"""The dbt project built in a temporary folder over the raw SQL fixtures of tests/dbt/fixtures.

One place for how the tests run dbt: as a subprocess of the venv's `dbt`, with their own target
and log folders, so a DuckDB file lock or a shared `target/` of a concurrent run cannot leak into
a test. The session fixture `dbt_built` (tests/conftest.py) builds the whole project once; a test
that changes the warehouse works on `copy()` of it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

REPO = Path(__file__).resolve().parents[1]
DBT_PROJECT = REPO / "dbt_project"
FIXTURES = REPO / "tests" / "dbt" / "fixtures"
AS_OF = "2026-11-29"
RUN_ID = "pytest-1"


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


class DbtProject:
    """A warehouse file and the dbt target folder that builds it."""

    def __init__(self, base: Path) -> None:
        self.base = base
        # not raw.duckdb: a catalog named like the `raw` schema makes `raw.x` ambiguous in DuckDB
        self.warehouse = base / "warehouse.duckdb"
        self.result: subprocess.CompletedProcess[str] | None = None
        self.run_results: dict[str, Any] = {}

    def create_raw(self) -> None:
        with duckdb.connect(str(self.warehouse)) as connection:
            for name in ("raw_schema.sql", "raw_data.sql"):
                connection.execute((FIXTURES / name).read_text())

    def run(self, *arguments: str, run_id: str = RUN_ID) -> subprocess.CompletedProcess[str]:
        """Run dbt; the result, whatever its exit code (run_results kept when written)."""
        env = {
            **os.environ,
            "ROPA_DUCKDB_PATH": str(self.warehouse),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [
            dbt_executable(), *arguments,
            "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
            "--target-path", str(self.base / "target"), "--log-path", str(self.base / "logs"),
            "--vars", json.dumps({"as_of": AS_OF, "run_id": run_id}),
        ]  # fmt: skip
        result = subprocess.run(
            command, cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=900
        )
        run_results = self.base / "target" / "run_results.json"
        if run_results.exists():
            self.run_results = dict(json.loads(run_results.read_text()))
        return result

    def dbt(self, *arguments: str, run_id: str = RUN_ID) -> dict[str, Any]:
        """Run dbt, assert it succeeded, return its run_results."""
        result = self.run(*arguments, run_id=run_id)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        return self.run_results

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    def copy(self, base: Path) -> DbtProject:
        """The same warehouse in another folder, for a test that changes it."""
        copy = DbtProject(base)
        shutil.copy(self.warehouse, copy.warehouse)
        return copy


def build_project(base: Path) -> DbtProject:
    """`dbt build` of everything (seeds, models, snapshots, data and unit tests) on the fixtures.

    The build's outcome is kept, not asserted, so that the test about it reports what failed."""
    project = DbtProject(base)
    project.create_raw()
    project.result = project.run("build")
    return project
