"""The audit_checks seed is checks.md's table: names, severities and subject keys in order."""

from __future__ import annotations

from pipelines.assets.checks import read_audit_checks
from tests.support.spec_tables import checks_from_spec


def test_seed_lists_every_check_of_the_spec_with_its_severity_and_keys() -> None:
    seed = {check.check_name: (check.severity, check.subject_keys) for check in read_audit_checks()}
    assert seed == checks_from_spec()


def test_model_names_follow_check_area_name() -> None:
    for check in read_audit_checks():
        area, name = check.check_name.split(".")
        assert check.model_name == f"check_{area}__{name}"
