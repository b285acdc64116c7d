"""The audit models built by dbt on the tiny raw fixtures of tests/dbt.

Uses the session build of the whole project (`dbt_built`, tests/dbt_harness.py), so every audit
unit test and data test has run; holds the built tables to the seed and checks.md, and reruns the
history models on a copy of the warehouse to show that a rerun of a run id replaces its rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.assets.checks import read_audit_checks
from tests.dbt_harness import RUN_ID, DbtProject
from tests.support.spec_tables import required_columns_from_spec

# what the loader makes of a required export column (docs/architecture.md, schema raw)
LOADED_AS = {"record_id": "record_key"}


@pytest.fixture(scope="module")
def project(dbt_built: DbtProject) -> DbtProject:
    result = dbt_built.result
    assert result is not None
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return dbt_built


def test_every_check_has_passing_unit_tests(project: DbtProject) -> None:
    results = project.run_results["results"]
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


def test_findings_depend_on_every_check_model_of_the_seed(project: DbtProject) -> None:
    manifest = json.loads((project.base / "target" / "manifest.json").read_text())
    parents = set(manifest["nodes"]["model.ropa.findings"]["depends_on"]["nodes"])
    missing = {f"model.ropa.{check.model_name}" for check in read_audit_checks()} - parents
    assert not missing, f"findings is not downstream of {missing}"


def test_rerun_of_a_run_id_replaces_its_history(project: DbtProject, tmp_path: Path) -> None:
    copy = project.copy(tmp_path)

    def counts() -> dict[str, int]:
        return dict(
            copy.query("select run_id, count(*) from history.finding_history group by run_id")
        )

    first = counts()
    assert list(first) == [RUN_ID] and first[RUN_ID] > 0
    copy.dbt("run", "--select", "path:models/history", run_id=RUN_ID)
    assert counts() == first
    copy.dbt("run", "--select", "path:models/history", run_id="pytest-2")
    assert counts() == {RUN_ID: first[RUN_ID], "pytest-2": first[RUN_ID]}
    runs = copy.query("select run_id, findings_error + findings_warn from history.run_history")
    assert sorted(runs) == [(RUN_ID, first[RUN_ID]), ("pytest-2", first[RUN_ID])]
