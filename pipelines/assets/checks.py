"""The audit as Dagster asset checks: one Great Expectations suite per check table dbt builds.

Which checks exist and how severe each is comes from the `audit_checks` seed, the one place
severities live. Findings about the organisation's practice never block the pipeline: the record
is published with them, that is its purpose. The load checks do block: a load that lost rows must
not replace the published warehouse.
"""

# No `from __future__ import annotations`: Dagster inspects the `context` annotation at runtime.
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from expectations.suites import check_suite, load_balance_suite, required_nulls_suite
from expectations.validation import validate
from pipelines.assets.dbt import ropa_dbt_assets
from pipelines.lib import warehouse
from pipelines.lib.audit_catalogue import AuditCheck, read_audit_checks
from pipelines.resources import RopaSettings

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations import ExpectationSuite

_CHECK_TABLE_SCHEMA = "marts"
# A failing check shows at most this many subjects in the Dagster UI; the table has them all.
_SUBJECTS_SHOWN = 50
_SEVERITIES = {"error": dg.AssetCheckSeverity.ERROR, "warn": dg.AssetCheckSeverity.WARN}


def read_check_table(settings: RopaSettings, run_id: str, model_name: str) -> "pd.DataFrame":
    """A table dbt built in this run, read without taking the write lock: from the build file,
    or from the published warehouse when a non-blocking check runs after the publish step."""
    path = settings.run_warehouse_path(run_id)
    with warehouse.connect(path, read_only=True) as connection:
        return connection.execute(f'select * from {_CHECK_TABLE_SCHEMA}."{model_name}"').df()


def audit_check_result(check: AuditCheck, frame: "pd.DataFrame") -> dg.AssetCheckResult:
    """The result of one audit check on its table: it passes when no subject fails."""
    result = validate(check_suite(check.check_name, check.severity), frame)
    subjects = frame[list(check.subject_keys)].head(_SUBJECTS_SHOWN)
    return dg.AssetCheckResult(
        passed=bool(result.success),
        severity=_SEVERITIES[check.severity],
        metadata={
            "check": check.check_name,
            "failing_subjects": dg.MetadataValue.json(subjects.to_dict(orient="records")),
            "failing_subject_count": len(frame),
            "failing_count": int(frame["failing_count"].sum()),
        },
    )


def load_check_result(suite: "ExpectationSuite", frame: "pd.DataFrame") -> dg.AssetCheckResult:
    """The result of a load-quality suite; any failed expectation is an error."""
    result = validate(suite, frame)
    failed = [
        {
            "expectation": str(outcome.expectation_config and outcome.expectation_config.type),
            "result": json.loads(json.dumps(outcome.result, default=str)),
        }
        for outcome in result.results
        if not outcome.success
    ]
    return dg.AssetCheckResult(
        passed=bool(result.success),
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows": len(frame), "failed_expectations": dg.MetadataValue.json(failed)},
    )


def _audit_check(check: AuditCheck) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=get_asset_key_for_model([ropa_dbt_assets], check.model_name),
        name=check.check_name.replace(".", "__"),
        description=f"{check.check_name}: {check.description}",
        blocking=False,
    )
    def _check(
        context: dg.AssetCheckExecutionContext, settings: RopaSettings
    ) -> dg.AssetCheckResult:
        frame = read_check_table(settings, context.op_execution_context.run_id, check.model_name)
        return audit_check_result(check, frame)

    return _check


def _load_check(
    model_name: str, suite: Callable[[], "ExpectationSuite"], description: str
) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=get_asset_key_for_model([ropa_dbt_assets], model_name),
        name=f"{model_name}_holds",
        description=description,
        blocking=True,
    )
    def _check(
        context: dg.AssetCheckExecutionContext, settings: RopaSettings
    ) -> dg.AssetCheckResult:
        frame = read_check_table(settings, context.op_execution_context.run_id, model_name)
        return load_check_result(suite(), frame)

    return _check


audit_asset_checks: list[dg.AssetChecksDefinition] = [
    *(_audit_check(check) for check in read_audit_checks()),
    _load_check(
        "dq_load_balance",
        load_balance_suite,
        "Every row read from a tabular file is loaded or rejected, and every rejected row is "
        "listed in rejects. Blocks publishing: the load lost rows.",
    ),
    _load_check(
        "dq_required_nulls",
        required_nulls_suite,
        "No required column of a loaded table holds a null. Blocks publishing: the load is broken.",
    ),
]
