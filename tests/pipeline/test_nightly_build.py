"""The nightly `dbt build` runs what guards the data; CI builds what tests the code.

Read from the dbt artifacts the session's `ropa run` over the minimal drop kept in
`<warehouse>/logs/dbt`, and from the harness build of the whole project (tests/dbt_harness.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipelines.assets.dbt import ropa_dbt_assets
from tests.dbt_harness import DBT_PROJECT, DbtProject

RECORDS_SOURCE = "source.ropa.drop.records"


def dbt_artifact(warehouse_dir: Path, name: str) -> dict[str, Any]:
    return dict(json.loads((warehouse_dir / "logs" / "dbt" / name).read_text()))


@pytest.fixture(scope="module")
def nightly_manifest(minimal_warehouse: Path) -> dict[str, Any]:
    return dbt_artifact(minimal_warehouse, "manifest.json")


@pytest.fixture(scope="module")
def nightly_tests(minimal_warehouse: Path) -> set[str]:
    """The tests (data and unit) the nightly build ran."""
    results = dbt_artifact(minimal_warehouse, "run_results.json")["results"]
    return {r["unique_id"] for r in results if r["unique_id"].startswith(("test.", "unit_test."))}


def code_tests(manifest: dict[str, Any]) -> set[str]:
    return {
        uid
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and "code" in node["tags"]
    }


def test_the_night_runs_no_unit_test_and_no_code_test(
    nightly_manifest: dict[str, Any], nightly_tests: set[str]
) -> None:
    assert nightly_manifest["unit_tests"] and code_tests(nightly_manifest)  # some to leave out
    assert not {uid for uid in nightly_tests if uid.startswith("unit_test.")}
    assert not nightly_tests & code_tests(nightly_manifest)
    assert len(nightly_tests) > 100  # the data tests still run


def test_every_test_the_night_runs_says_why(
    nightly_manifest: dict[str, Any], nightly_tests: set[str]
) -> None:
    silent = [
        uid for uid in nightly_tests if not nightly_manifest["nodes"][uid]["meta"].get("nightly")
    ]
    assert not silent


def test_no_nightly_test_rescans_a_view_over_the_records(
    nightly_manifest: dict[str, Any], nightly_tests: set[str]
) -> None:
    """Views are re-run by every test on them: over the records that is a scan of the whole
    export per test. The loader's accounting and dq_required_nulls (one scan) guard them."""
    nodes = nightly_manifest["nodes"]
    record_views = {RECORDS_SOURCE}
    # depends_on lists direct parents: grow the set until no view over it is left to add.
    while True:
        grown = record_views | {
            uid
            for uid, node in nodes.items()
            if node["resource_type"] == "model"
            and node["config"]["materialized"] == "view"
            and record_views & set(node["depends_on"]["nodes"])
        }
        if grown == record_views:
            break
        record_views = grown
    assert "model.ropa.int_records_evaluated_against_rules" in record_views
    scanning = [
        uid for uid in nightly_tests if record_views & set(nodes[uid]["depends_on"]["nodes"])
    ]
    assert not scanning


def test_dagster_checks_are_tests_the_night_runs(
    nightly_manifest: dict[str, Any], nightly_tests: set[str]
) -> None:
    """A code test is no asset check: a run would otherwise wait for a result never coming."""
    nightly_names = {nightly_manifest["nodes"][uid]["name"] for uid in nightly_tests}
    check_names = {spec.name for spec in ropa_dbt_assets.check_specs}
    assert check_names <= nightly_names
    assert not check_names & {
        nightly_manifest["nodes"][u]["name"] for u in code_tests(nightly_manifest)
    }


def test_ci_still_builds_the_unit_and_code_tests(dbt_built: DbtProject) -> None:
    statuses = {r["unique_id"]: r["status"] for r in dbt_built.run_results["results"]}
    ran_code_tests = {uid for uid in statuses if "not_null_stg_drop__records_record_key" in uid}
    assert ran_code_tests and all(statuses[uid] == "pass" for uid in ran_code_tests)
    assert any(uid.startswith("unit_test.") for uid in statuses)


def test_the_night_leaves_no_artifacts_in_the_dbt_project(minimal_warehouse: Path) -> None:
    assert dbt_artifact(minimal_warehouse, "run_results.json")["results"]
    left_in_project = [
        str(path.parent)
        for path in (DBT_PROJECT / "target").glob("*/run_results.json")
        if str(minimal_warehouse) in path.read_text()
    ]
    assert not left_in_project
