"""The --truth file: findings.json shape of checks.md, ordered and fingerprinted as
docs/architecture.md says, with at least one finding for every check."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from commands.cli import main
from tests.support.spec_tables import checks_from_spec

# Checks one demo drop cannot plant, and where they are tested instead.
NOT_PLANTED = {
    # the drop has exactly one organization, and it names its controller: dbt unit test
    # register_controller_missing_* and tests/load/test_register_roles.py
    "register.controller_missing",
}


def plantable_checks() -> set[str]:
    return set(checks_from_spec()) - NOT_PLANTED


def test_spec_table_parses() -> None:
    assert len(checks_from_spec()) == 35


def test_every_check_has_a_finding(demo_drop: Any) -> None:
    checks = {finding["check"] for finding in demo_drop.truth()["findings"]}
    assert checks == plantable_checks()


def test_subjects_severities_and_counts_follow_checks_md(demo_drop: Any) -> None:
    spec = checks_from_spec()
    for finding in demo_drop.truth()["findings"]:
        severity, keys = spec[finding["check"]]
        assert finding["severity"] == severity
        assert tuple(finding["subject"]) == keys
        assert all(isinstance(value, str) for value in finding["subject"].values())
        assert isinstance(finding["count"], int) and finding["count"] > 0
        assert finding["message"]


def test_findings_sorted_by_check_then_subject(demo_drop: Any) -> None:
    findings = demo_drop.truth()["findings"]
    order = [(f["check"], tuple(f["subject"].values())) for f in findings]
    assert order == sorted(order)
    assert len(set(order)) == len(order)


def test_as_of_and_fingerprint(demo_drop: Any) -> None:
    truth = demo_drop.truth()
    assert truth["as_of"] == "2026-11-29"
    root: Path = demo_drop.root
    listing = "".join(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(root).as_posix()}\n"
        for path in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix())
        if path.is_file()
    )
    assert truth["drop_fingerprint"] == "sha256:" + hashlib.sha256(listing.encode()).hexdigest()


def test_smallest_drop_still_plants_every_check(tmp_path: Path) -> None:
    truth_path = tmp_path / "truth.json"
    argv = ["demo", "--out", str(tmp_path / "drop"), "--records", "1000", "--as-of", "2026-11-29"]
    assert main([*argv, "--truth", str(truth_path)]) == 0
    findings = json.loads(truth_path.read_text(encoding="utf-8"))["findings"]
    assert {finding["check"] for finding in findings} == plantable_checks()


def test_too_few_records_is_refused(tmp_path: Path) -> None:
    assert main(["demo", "--out", str(tmp_path / "drop"), "--records", "999"]) == 2
