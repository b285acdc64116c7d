"""How the audit is wired into Dagster: severities from the seed, only load checks block."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
from dagster_dbt import get_asset_key_for_model

from pipelines.assets.checks import (
    audit_asset_checks,
    audit_check_result,
    read_audit_checks,
)
from pipelines.assets.dbt import dbt_cli_resource, ropa_dbt_assets
from pipelines.definitions import build_definitions
from pipelines.jobs import REFRESH_JOB_NAME
from pipelines.resources import RopaSettings
from tests.conftest import MINIMAL_DROP


def _specs() -> list[dg.AssetCheckSpec]:
    return [spec for checks in audit_asset_checks for spec in checks.check_specs]


def test_one_non_blocking_check_per_audit_check_on_its_model() -> None:
    by_name = {spec.name: spec for spec in _specs()}
    for check in read_audit_checks():
        spec = by_name[check.check_name.replace(".", "__")]
        assert spec.asset_key.path[-1] == check.model_name
        assert not spec.blocking, "findings about the organisation never stop the pipeline"


def test_load_checks_block() -> None:
    blocking = {spec.asset_key.path[-1] for spec in _specs() if spec.blocking}
    assert blocking == {"dq_load_balance", "dq_required_nulls"}


def test_the_publish_step_waits_for_the_load_checks_only() -> None:
    """Blocking is by steps: the load checks run apart from the audit's, before the publish."""
    from dagster._core.execution.api import create_execution_plan

    settings = RopaSettings(exports_dir="/nonexistent", warehouse_dir="/nonexistent")
    job = build_definitions(settings).resolve_job_def(REFRESH_JOB_NAME)
    publish = create_execution_plan(job).get_step_by_key("published_warehouse")
    upstream = {
        handle.step_key
        for step_input in publish.step_inputs
        for handle in step_input.get_step_output_handle_dependencies()
    }
    assert upstream == {"ropa_dbt_assets", "load_check_suites"}


def test_result_carries_the_seed_severity_and_failing_subjects() -> None:
    checks = {check.check_name: check for check in read_audit_checks()}
    frame = pd.DataFrame(
        {"request_type": ["access", "erasure"], "failing_count": [3, 1], "message": ["", ""]}
    )
    late = audit_check_result(checks["request.late"], frame)
    assert (late.passed, late.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert late.metadata["failing_count"] == dg.MetadataValue.int(4)
    assert late.metadata["failing_subjects"] == dg.MetadataValue.json(
        [{"request_type": "access"}, {"request_type": "erasure"}]
    )
    overdue = audit_check_result(checks["request.overdue"], frame.iloc[0:0])
    assert (overdue.passed, overdue.severity) == (True, dg.AssetCheckSeverity.ERROR)


def _run_checks(
    warehouse: Path, selection: dg.AssetSelection
) -> dict[str, dg.AssetCheckEvaluation]:
    """The selected checks run by Dagster on a published warehouse (dbt is not run again)."""
    result = dg.materialize(
        [ropa_dbt_assets, *audit_asset_checks],
        selection=selection,
        resources={
            "settings": RopaSettings(exports_dir=str(MINIMAL_DROP), warehouse_dir=str(warehouse)),
            "dbt": dbt_cli_resource(),
        },
    )
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == len({evaluation.check_name for evaluation in evaluations})
    return {evaluation.check_name: evaluation for evaluation in evaluations}


def test_a_run_gives_every_check_its_own_result_from_its_table(minimal_warehouse: Path) -> None:
    """The checks share steps and one connection each, but each reports on its own table."""
    evaluations = _run_checks(minimal_warehouse, dg.AssetSelection.checks(*audit_asset_checks))
    checks = read_audit_checks()
    names = {check.check_name.replace(".", "__") for check in checks}
    assert set(evaluations) == names | {"dq_load_balance_holds", "dq_required_nulls_holds"}
    with duckdb.connect(str(minimal_warehouse / "ropa.duckdb"), read_only=True) as connection:
        for check in checks:
            evaluation = evaluations[check.check_name.replace(".", "__")]
            count = connection.execute(f'select count(*) from marts."{check.model_name}"')
            rows = count.fetchall()[0][0]
            assert evaluation.asset_key == get_asset_key_for_model(
                [ropa_dbt_assets], check.model_name
            )
            assert evaluation.metadata["check"].value == check.check_name
            assert evaluation.metadata["failing_subject_count"].value == rows
            assert evaluation.passed is (rows == 0)
    assert evaluations["dq_load_balance_holds"].passed
    assert evaluations["dq_required_nulls_holds"].passed


def test_a_check_picked_alone_runs_alone(minimal_warehouse: Path) -> None:
    """The UI can run one check: only it is evaluated, not the others of its step."""
    late = next(check for check in read_audit_checks() if check.check_name == "request.late")
    key = dg.AssetCheckKey(
        get_asset_key_for_model([ropa_dbt_assets], late.model_name), "request__late"
    )
    assert set(_run_checks(minimal_warehouse, dg.AssetSelection.checks(key))) == {key.name}
