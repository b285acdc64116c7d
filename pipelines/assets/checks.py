"""The audit as Dagster asset checks: one Great Expectations suite per check table dbt builds.

Which checks exist and how severe each is comes from the `audit_checks` seed, the one place
severities live. Findings about the organisation's practice never block the pipeline: the record
is published with them, that is its purpose. The load checks do block: a load that lost rows must
not replace the published warehouse.

Dagster shows one check per audit check, but runs them as two steps (audit, load), each reading
its tables through one connection: one step per check cost more than the checks themselves.
"""

# No `from __future__ import annotations`: Dagster inspects the `context` annotation at runtime.
import functools
import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
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
_AUDIT_CHECKS = read_audit_checks()
# The load-quality tables and their suites; any failed expectation is an error.
_LOAD_CHECKS: dict[str, tuple[Callable[[], "ExpectationSuite"], str]] = {
    "dq_load_balance": (
        load_balance_suite,
        "Every row read from a tabular file is loaded or rejected, and every rejected row is "
        "listed in rejects. Blocks publishing: the load lost rows.",
    ),
    "dq_required_nulls": (
        required_nulls_suite,
        "No required column of a loaded table holds a null. Blocks publishing: the load is broken.",
    ),
}


def read_check_tables(
    settings: RopaSettings, run_id: str, model_names: Collection[str]
) -> dict[str, "pd.DataFrame"]:
    """Tables dbt built in this run, by model name, read without taking the write lock: from the
    build file, or from the published warehouse when non-blocking checks run after the publish
    step."""
    path = settings.run_warehouse_path(run_id)
    with warehouse.connect(path, read_only=True) as connection:
        return {
            name: connection.execute(f'select * from {_CHECK_TABLE_SCHEMA}."{name}"').df()
            for name in model_names
        }


def _model_key(model_name: str) -> dg.AssetKey:
    return get_asset_key_for_model([ropa_dbt_assets], model_name)


def _audit_check_key(check: AuditCheck) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(_model_key(check.model_name), check.check_name.replace(".", "__"))


def _load_check_key(model_name: str) -> dg.AssetCheckKey:
    return dg.AssetCheckKey(_model_key(model_name), f"{model_name}_holds")


def audit_check_result(check: AuditCheck, frame: "pd.DataFrame") -> dg.AssetCheckResult:
    """The result of one audit check on its table: it passes when no subject fails."""
    result = validate(check_suite(check.check_name, check.severity), frame)
    subjects = frame[list(check.subject_keys)].head(_SUBJECTS_SHOWN)
    key = _audit_check_key(check)
    return dg.AssetCheckResult(
        asset_key=key.asset_key,
        check_name=key.name,
        passed=bool(result.success),
        severity=_SEVERITIES[check.severity],
        metadata={
            "check": check.check_name,
            "failing_subjects": dg.MetadataValue.json(subjects.to_dict(orient="records")),
            "failing_subject_count": len(frame),
            "failing_count": int(frame["failing_count"].sum()),
        },
    )


def load_check_result(model_name: str, frame: "pd.DataFrame") -> dg.AssetCheckResult:
    """The result of a load-quality suite on its table; any failed expectation is an error."""
    suite, _ = _LOAD_CHECKS[model_name]
    result = validate(suite(), frame)
    failed = [
        {
            "expectation": str(outcome.expectation_config and outcome.expectation_config.type),
            "result": json.loads(json.dumps(outcome.result, default=str)),
        }
        for outcome in result.results
        if not outcome.success
    ]
    key = _load_check_key(model_name)
    return dg.AssetCheckResult(
        asset_key=key.asset_key,
        check_name=key.name,
        passed=bool(result.success),
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"rows": len(frame), "failed_expectations": dg.MetadataValue.json(failed)},
    )


@dataclass(frozen=True)
class _PlannedCheck:
    key: dg.AssetCheckKey
    model_name: str
    description: str
    result: Callable[["pd.DataFrame"], dg.AssetCheckResult]


def _check_step(
    name: str, description: str, checks: list[_PlannedCheck], *, blocking: bool
) -> dg.AssetChecksDefinition:
    """One Dagster step running the checks selected in the run (all, unless the UI picked some)."""

    @dg.multi_asset_check(
        name=name,
        description=description,
        specs=[
            dg.AssetCheckSpec(
                check.key.name,
                asset=check.key.asset_key,
                description=check.description,
                blocking=blocking,
            )
            for check in checks
        ],
        can_subset=True,
    )
    def _step(
        context: dg.AssetCheckExecutionContext, settings: RopaSettings
    ) -> Iterator[dg.AssetCheckResult]:
        selected = [check for check in checks if check.key in context.selected_asset_check_keys]
        run_id = context.op_execution_context.run_id
        frames = read_check_tables(settings, run_id, {check.model_name for check in selected})
        for check in selected:
            yield check.result(frames[check.model_name])

    return _step


audit_asset_checks: list[dg.AssetChecksDefinition] = [
    _check_step(
        "audit_check_suites",
        "The audit checks of checks.md; findings never block publishing.",
        [
            _PlannedCheck(
                key=_audit_check_key(check),
                model_name=check.model_name,
                description=f"{check.check_name}: {check.description}",
                result=functools.partial(audit_check_result, check),
            )
            for check in _AUDIT_CHECKS
        ],
        blocking=False,
    ),
    _check_step(
        "load_check_suites",
        "The load-quality checks; a failed one stops the publish step.",
        [
            _PlannedCheck(
                key=_load_check_key(model_name),
                model_name=model_name,
                description=description,
                result=functools.partial(load_check_result, model_name),
            )
            for model_name, (_, description) in _LOAD_CHECKS.items()
        ],
        blocking=True,
    ),
]
