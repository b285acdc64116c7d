"""The audit models built by dbt on the tiny raw fixtures of tests/dbt.

Runs `dbt build` for the audit models and everything they need (so every audit unit test and data
test runs), then holds the built tables to the seed and checks.md, and reruns the history models to
show that a rerun of a run id replaces its rows. dbt runs as a subprocess with its own target
folder, so a concurrent dbt run cannot interfere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.assets.checks import read_audit_checks
from tests.support.spec_tables import required_columns_from_spec

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
RAW_FIXTURES = REPO / "tests" / "dbt" / "fixtures"
AS_OF = "2026-11-29"
# what the loader makes of a required export column (docs/architecture.md, schema raw)
LOADED_AS = {"record_id": "record_key"}


class DbtProject:
    def __init__(self, base: Path) -> None:
        self.base = base
        # not raw.duckdb: a catalog named like the `raw` schema makes `raw.x` ambiguous
        self.warehouse = base / "warehouse.duckdb"
        self.built: dict[str, Any] = {}

    def dbt(self, *arguments: str, run_id: str = "pytest-1") -> dict[str, Any]:
        env = {
            **os.environ,
            "ROPA_DUCKDB_PATH": str(self.warehouse),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [
            str(Path(sys.executable).with_name("dbt")), *arguments,
            "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
            "--target-path", str(self.base / "target"), "--log-path", str(self.base / "logs"),
            "--vars", json.dumps({"as_of": AS_OF, "run_id": run_id}),
        ]  # fmt: skip
        result = subprocess.run(
            command, cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=600
        )
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
        return dict(json.loads((self.base / "target" / "run_results.json").read_text()))

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with duckdb.connect(str(self.warehouse), read_only=True) as connection:
            return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    project = DbtProject(tmp_path_factory.mktemp("audit_dbt"))
    with duckdb.connect(str(project.warehouse)) as connection:
        for name in ("raw_schema.sql", "raw_data.sql"):
            connection.execute((RAW_FIXTURES / name).read_text())
    project.built = project.dbt(
        "build", "--select", "+path:models/marts/audit", "+path:models/history",
        "--exclude", "resource_type:snapshot", "--indirect-selection", "cautious",
    )  # fmt: skip
    return project


def test_every_check_has_passing_unit_tests(project: DbtProject) -> None:
    results = project.built["results"]
    unit_tests = {
        r["unique_id"]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")
    }
    assert unit_tests and set(unit_tests.values()) == {"pass"}
    tested_models = {uid.split(".")[2] for uid in unit_tests}
    missing = {check.model_name for check in read_audit_checks()} - tested_models
    assert not missing, f"check models without a unit test: {missing}"


def test_check_models_have_the_seed_subject_keys_then_count_and_message(
    project: DbtProject,
) -> None:
    for check in read_audit_checks():
        columns = project.query(
            "select column_name, data_type from information_schema.columns"
            f" where table_schema = 'marts' and table_name = '{check.model_name}'"
            " order by ordinal_position"
        )
        assert columns == [
            *((key, "VARCHAR") for key in check.subject_keys),
            ("failing_count", "BIGINT"),
            ("message", "VARCHAR"),
        ], check.model_name


def test_findings_take_severity_from_the_seed(project: DbtProject) -> None:
    severities = {check.check_name: check.severity for check in read_audit_checks()}
    rows = project.query("select distinct check_name, severity from marts.findings")
    assert rows, "the fixtures trigger findings"
    assert all(severities[check] == severity for check, severity in rows)


def test_required_nulls_cover_every_required_export_column(project: DbtProject) -> None:
    covered = {
        (table.removeprefix("stg_drop__"), column)
        for table, column in project.query(
            "select table_name, column_name from marts.dq_required_nulls"
        )
    }
    for export, columns in required_columns_from_spec().items():
        table = export.removesuffix(".csv")
        for column in columns:
            assert (table, LOADED_AS.get(column, column)) in covered


def test_rerun_of_a_run_id_replaces_its_history(project: DbtProject) -> None:
    def counts() -> dict[str, int]:
        return dict(
            project.query("select run_id, count(*) from history.finding_history group by run_id")
        )

    first = counts()
    assert list(first) == ["pytest-1"] and first["pytest-1"] > 0
    project.dbt("run", "--select", "path:models/history", run_id="pytest-1")
    assert counts() == first
    project.dbt("run", "--select", "path:models/history", run_id="pytest-2")
    assert counts() == {"pytest-1": first["pytest-1"], "pytest-2": first["pytest-1"]}
    runs = project.query("select run_id, findings_error + findings_warn from history.run_history")
    assert sorted(runs) == [("pytest-1", first["pytest-1"]), ("pytest-2", first["pytest-1"])]
