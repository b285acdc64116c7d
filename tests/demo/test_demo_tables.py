"""Every tabular file of the demo drop carries the contract's required columns and is readable."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.support.spec_tables import required_columns_from_spec

RECORD_ID = re.compile(r"^[a-z]+_[0-9]{9}[0-9a-f]{4}$")


def csv_header(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return set(next(csv.reader(handle)))


def read_records(path: Path) -> str:
    readers = {".csv": "read_csv", ".jsonl": "read_json", ".parquet": "read_parquet"}
    reader = readers[path.suffix]
    options = ", all_varchar = true" if reader == "read_csv" else ""
    return f"{reader}('{path}'{options})"


def record_files(root: Path) -> list[Path]:
    """The record extracts: records/telephony/README.txt is a note, not read (drop.unread_file)."""
    return sorted(
        p
        for p in (root / "records").rglob("*")
        if p.is_file() and p.suffix in (".csv", ".jsonl", ".parquet")
    )


def test_spec_names_the_tabular_files() -> None:
    required = required_columns_from_spec()
    assert {
        "vendors.csv",
        "customers.csv",
        "privacy_requests.csv",
        "cookies.csv",
        "records",
    } <= set(required)


@pytest.mark.parametrize(
    "name", ["vendors.csv", "customers.csv", "privacy_requests.csv", "cookies.csv"]
)
def test_csv_has_required_columns(demo_drop: Any, name: str) -> None:
    assert required_columns_from_spec()[name] <= csv_header(demo_drop.root / name)


def test_records_use_all_three_formats_and_a_split_system(demo_drop: Any) -> None:
    files = record_files(demo_drop.root)
    assert {path.suffix for path in files} == {".csv", ".jsonl", ".parquet"}
    per_folder = [len(list(folder.iterdir())) for folder in (demo_drop.root / "records").iterdir()]
    assert max(per_folder) > 1


def test_every_records_file_is_readable_by_duckdb_with_required_columns(demo_drop: Any) -> None:
    required = required_columns_from_spec()["records"]
    connection = duckdb.connect()
    for path in record_files(demo_drop.root):
        relation = connection.sql(f"select * from {read_records(path)}")
        assert required <= set(relation.columns), path
        assert relation.count("*").fetchall() != [(0,)], path


def test_record_ids_look_like_system_ids(demo_drop: Any) -> None:
    connection = duckdb.connect()
    for path in record_files(demo_drop.root):
        ids = connection.sql(f"select distinct record_id from {read_records(path)}").fetchall()
        assert all(RECORD_ID.match(record_id) for (record_id,) in ids), path
