"""How the audit is wired into Dagster: severities from the seed, only load checks block."""

from __future__ import annotations

import dagster as dg
import pandas as pd

from pipelines.assets.checks import (
    audit_asset_checks,
    audit_check_result,
    read_audit_checks,
)


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
