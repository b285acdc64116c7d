"""The regulator's copy holds the record alone; the internal copy adds the audit's evidence.

Scanned in every file of each pack as a recipient's tools read it (PDF text, the workbook's XML
parts, the text files): no finding, record count, source file name or load time by default.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult
from tests.pack.pack_files import readable_text, words

pytestmark = pytest.mark.slow

# The evidence's labels (ropa.schema.json titles) and its JSON / CSV column names.
EVIDENCE_LABELS = [
    "Records held",
    "Records past their retention deadline",
    "Open audit findings",
    "Source files",
    "Loaded at",
    "Records overdue",
    "Records on legal hold",
    "Records without deadline yet",
]
EVIDENCE_COLUMNS = [
    "records_held",
    "records_overdue",
    "open_findings",
    "source_files",
    "loaded_at",
    "records_on_legal_hold",
    "records_no_deadline",
    "overdue_over_365_days",
]


def _evidence(warehouse: Path) -> dict[str, set[str]]:
    """What the audit knows and the record must not show: each finding's check and message,
    the source files, their load times (as ISO text and as the PDF would print them)."""
    with read_only_connection(warehouse) as connection:
        findings = connection.execute("select check_name, message from marts.findings").fetchall()
        files = connection.execute("select source_file, loaded_at from marts.load_files").fetchall()
    loaded = {loaded_at for _, loaded_at in files if isinstance(loaded_at, dt.datetime)}
    return {
        "finding check": {check for check, _ in findings},
        "finding message": {message for _, message in findings if message},
        "file name": {source_file for source_file, _ in files},
        "load time": {value.isoformat(timespec="seconds") for value in loaded}
        | {f"{value:%Y-%m-%d %H:%M:%S}" for value in loaded},
    }


def _pack_text(pack: Path) -> dict[str, str]:
    return {
        path.relative_to(pack).as_posix(): words(readable_text(path))
        for path in sorted(pack.rglob("*"))
        if path.is_file()
    }


def test_regulator_copy_holds_no_finding_count_file_name_or_load_time(
    demo_pack: PackResult, demo_warehouse: Path
) -> None:
    evidence = _evidence(demo_warehouse)
    assert all(evidence.values())
    texts = _pack_text(demo_pack.path)
    assert {"ropa.xlsx", "ropa.pdf", "ropa.json", "controller.csv"} <= set(texts)
    assert "findings.json" not in texts
    leaks = {
        (name, kind, value)
        for name, text in texts.items()
        for kind, values in evidence.items()
        for value in values
        if words(value) in text
    }
    leaks |= {
        (name, "evidence heading", label)
        for name, text in texts.items()
        for label in [*EVIDENCE_LABELS, *EVIDENCE_COLUMNS]
        if label in text
    }
    assert leaks == set()


def test_internal_copy_holds_them_all(internal_pack: PackResult, demo_warehouse: Path) -> None:
    evidence = _evidence(demo_warehouse)
    texts = _pack_text(internal_pack.path)
    findings = json.loads((internal_pack.path / "findings.json").read_text())
    assert findings["findings"]
    everything = "\n".join(texts.values())
    missing = {value for value in evidence["finding check"] if value not in everything}
    assert missing == set()
    with read_only_connection(demo_warehouse) as connection:
        named = connection.execute("select source_files from marts.ropa_controller").fetchall()
    source_files = {name for (files,) in named if files for name in str(files).split("; ")}
    assert source_files and {name for name in source_files if name not in everything} == set()
    ropa = json.loads((internal_pack.path / "ropa.json").read_text())
    assert ropa["audience"] == "internal"
    activity = ropa["controller_activities"][0]
    assert {"records_held", "records_overdue", "open_findings", "source_files", "loaded_at"} <= set(
        activity
    )
    assert any(
        activity["loaded_at"][:19] in everything for activity in ropa["controller_activities"]
    )
    assert "records" in ropa["retention_schedule"][0]
    for label in EVIDENCE_LABELS[:5]:
        assert label in texts["ropa.pdf"] and label in texts["ropa.xlsx"], label
    assert "Findings" in texts["ropa.xlsx"]
