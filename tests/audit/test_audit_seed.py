"""The audit_checks seed is checks.md's table: names, severities and subject keys in order."""

from __future__ import annotations

import yaml

from pipelines.assets.checks import read_audit_checks
from tests.dbt_harness import DBT_PROJECT
from tests.support.spec_tables import checks_from_spec


def test_seed_lists_every_check_of_the_spec_with_its_severity_and_keys() -> None:
    seed = {check.check_name: (check.severity, check.subject_keys) for check in read_audit_checks()}
    assert seed == checks_from_spec()


def test_model_names_follow_check_area_name() -> None:
    for check in read_audit_checks():
        area, name = check.check_name.split(".")
        assert check.model_name == f"check_{area}__{name}"


def test_findings_contract_has_a_column_for_every_subject_key_of_the_spec() -> None:
    models = yaml.safe_load((DBT_PROJECT / "models/marts/audit/_audit__models.yml").read_text())
    findings = next(model for model in models["models"] if model["name"] == "findings")
    columns = [column["name"] for column in findings["columns"]]
    subject_columns = columns[columns.index("subject_json") + 1 : columns.index("failing_count")]
    spec_keys = {key for _, keys in checks_from_spec().values() for key in keys}
    assert set(subject_columns) == spec_keys
    assert {key for check in read_audit_checks() for key in check.subject_keys} <= spec_keys
