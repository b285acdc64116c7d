"""The pack holds no record-level data: no record id of the drop, no record_key of the warehouse."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult
from tests.conftest import DemoDrop
from tests.pack.pack_files import readable_text

pytestmark = pytest.mark.slow

# Record ids and hex hashes are single tokens in any of the pack's formats.
_TOKEN = re.compile(r"[A-Za-z0-9_.:-]+")
# A record key (16 bytes) in text would be its hex, in either case.
_HEX_RECORD_KEYS = "select lower(hex(record_key)) from raw.records"


def _record_ids(drop_root: Path) -> set[str]:
    ids: set[str] = set()
    for path in (drop_root / "records").rglob("*"):
        if path.suffix == ".csv":
            with path.open(newline="", encoding="utf-8-sig") as handle:
                ids.update(row.get("record_id") or "" for row in csv.DictReader(handle))
        elif path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    ids.add(str(json.loads(line).get("record_id") or ""))
                except (ValueError, AttributeError):
                    continue  # the demo plants bad rows; only ids matter here
        elif path.suffix == ".parquet":
            ids.update(str(value) for value in pq.read_table(path).column("record_id").to_pylist())
    ids.discard("")
    ids.discard("None")
    return ids


def _tokens(text: str) -> set[str]:
    return {token.strip(".:-") for token in _TOKEN.findall(text)}


def _leaks(text: str, record_ids: set[str], hex_record_keys: set[str]) -> set[str]:
    tokens = _tokens(text)
    return tokens & record_ids | {token.lower() for token in tokens} & hex_record_keys


def test_no_record_id_or_record_key_in_any_file(
    demo_pack: PackResult, demo_drop: DemoDrop, demo_warehouse: Path
) -> None:
    record_ids = _record_ids(demo_drop.root)
    with read_only_connection(demo_warehouse) as connection:
        record_keys = {key for (key,) in connection.execute(_HEX_RECORD_KEYS).fetchall()}
    assert len(record_ids) > 1000 and len(record_keys) > 1000

    files = sorted(path for path in demo_pack.path.rglob("*") if path.is_file())
    assert {path.name for path in files} >= {"ropa.xlsx", "ropa.pdf", "ropa.json", "manifest.json"}
    leaks = {}
    for path in files:
        found = _leaks(readable_text(path), record_ids, record_keys)
        if found:
            leaks[path.name] = sorted(found)[:5]
    assert leaks == {}


def test_the_scan_would_see_a_leak(demo_warehouse: Path, tmp_path: Path) -> None:
    """The scan itself works: a record_key written into a CSV cell is found."""
    with read_only_connection(demo_warehouse) as connection:
        (record_key,) = connection.execute(f"{_HEX_RECORD_KEYS} limit 1").fetchone()
    planted = tmp_path / "controller.csv"
    planted.write_text(f"activity_key,note\nx:y,{record_key.upper()}.\n", encoding="utf-8")
    assert _leaks(readable_text(planted), set(), {record_key}) == {record_key}
