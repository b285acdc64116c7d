"""`ropa findings` on the demo warehouse equals the demo's truth file (checks.md, findings.json).

The truth is computed by the demo generator from the scenario it wrote, independently of dbt;
both follow docs/architecture.md "How the checks read the spec". Messages are free text, so
they are left out of the comparison.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from commands.cli import main as ropa
from tests.conftest import DemoDrop

pytestmark = pytest.mark.slow


def _without_messages(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {key: finding[key] for key in ("check", "severity", "subject", "count")}
        for finding in document["findings"]
    ]


def _as_set(findings: list[dict[str, Any]]) -> set[str]:
    return {json.dumps(finding, sort_keys=True) for finding in findings}


def test_findings_json_equals_the_demo_truth(
    demo_drop: DemoDrop, demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ropa(["findings", "--warehouse", str(demo_warehouse), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    truth = demo_drop.truth()
    assert (document["as_of"], document["drop_fingerprint"]) == (
        truth["as_of"],
        truth["drop_fingerprint"],
    )
    got, expected = _without_messages(document), _without_messages(truth)
    # sets first, so a failure names the findings that differ rather than a position
    assert _as_set(got) - _as_set(expected) == set(), "findings the truth does not have"
    assert _as_set(expected) - _as_set(got) == set(), "truth findings the warehouse misses"
    assert got == expected, "same findings, different order"


def test_every_finding_has_exactly_its_checks_keys_as_strings(
    demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipelines.assets.checks import read_audit_checks

    keys = {check.check_name: check.subject_keys for check in read_audit_checks()}
    assert ropa(["findings", "--warehouse", str(demo_warehouse), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["findings"], "the demo scenario triggers findings"
    for finding in document["findings"]:
        assert tuple(finding["subject"]) == keys[finding["check"]]
        assert all(isinstance(value, str) for value in finding["subject"].values())
        assert isinstance(finding["count"], int) and finding["count"] > 0
        assert finding["message"]


def test_table_format_lists_every_finding(
    demo_warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ropa(["findings", "--warehouse", str(demo_warehouse), "--format", "json"]) == 0
    count = len(json.loads(capsys.readouterr().out)["findings"])
    assert ropa(["findings", "--warehouse", str(demo_warehouse)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith(f"{count} findings")
    assert len(lines) == count + 3  # title, column header, findings, summary
