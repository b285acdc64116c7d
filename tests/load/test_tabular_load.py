"""The loader against exports.md: formats, types, rejects with file and line, nothing lost."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipelines.lib.pseudonym import RECORD_KEY_BYTES, hmac_pads, hmac_sql
from pipelines.load.drop import LoadSummary, load_drop

KEY = b"test-key"
AS_OF = dt.date(2026, 11, 29)


def _load(drop: Path, tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, LoadSummary]:
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    summary = load_drop(
        drop, connection, run_id="test", as_of=AS_OF, pseudonym_key=KEY, parts=tmp_path / "parts"
    )
    return connection, summary


def _rows_in_file(path: Path) -> int:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return sum(1 for _ in csv.reader(handle)) - 1
    if path.suffix == ".jsonl":
        return sum(1 for line in path.read_text().splitlines() if line.strip())
    return int(pq.read_metadata(path).num_rows)


def test_every_input_row_is_loaded_or_rejected(minimal_drop: Path, tmp_path: Path) -> None:
    connection, summary = _load(minimal_drop, tmp_path)
    assert {f.file_format for f in summary.files} == {"csv", "jsonl", "parquet"}
    for load in summary.files:
        assert load.rows_read == _rows_in_file(minimal_drop / load.source_file), load
        assert load.rows_read == load.rows_loaded + load.rows_rejected, load
    audited = connection.execute(
        "select count(*) from raw.load_audit where rows_read = rows_loaded + rows_rejected"
    ).fetchall()
    assert audited == [(len(summary.files),)]


def test_bad_values_are_rejected_with_file_line_column_and_reason(
    minimal_drop: Path, tmp_path: Path
) -> None:
    connection, _ = _load(minimal_drop, tmp_path)
    rejects = connection.execute(
        "select source_file, line, column_name, value from raw.rejects order by all"
    ).fetchall()
    assert rejects == [
        ("privacy_requests.csv", 4, "data_subject", "alien"),
        ("records/portal/accounts.csv", 4, "created_at", "not-a-date"),
        ("records/portal/accounts.csv", 4, "subject_age", "-4"),
        ("records/portal/accounts.csv", 5, "legal_hold", "maybe"),
        # Line 4, not 3: the row before it has a quoted field spanning two lines (CRLF, BOM).
        ("vendors.csv", 4, "dpa_signed_on", "2024-13-01"),
        ("vendors.csv", 4, "role", "overlord"),
    ]
    reasons = dict(connection.execute("select column_name, reason from raw.rejects").fetchall())
    assert "taxonomy" in reasons["data_subject"]
    assert "ISO 8601" in reasons["created_at"]


def test_csv_quoting_bom_and_line_of_loaded_rows(minimal_drop: Path, tmp_path: Path) -> None:
    connection, _ = _load(minimal_drop, tmp_path)
    assert connection.execute(
        "select vendor_key, service_description, _source_line from raw.vendors"
    ).fetchall() == [("cloudhost", "Hosting, storage and\r\nbackups", 2)]


def test_timestamps_are_utc_and_empty_booleans_default_to_false(
    minimal_drop: Path, tmp_path: Path
) -> None:
    connection, _ = _load(minimal_drop, tmp_path)
    requests = dict(
        connection.execute("select request_id, completed_at from raw.privacy_requests").fetchall()
    )
    assert requests["req-1"] == dt.datetime(2026, 10, 31, 21, 0)  # +02:00 converted to UTC
    holds = connection.execute(
        "select _source_file, _source_line, legal_hold from raw.records order by all"
    ).fetchall()
    assert ("records/chat/transcripts.jsonl", 2, True) in holds
    assert ("records/portal/accounts.csv", 3, False) in holds  # empty cell


def test_record_ids_are_stored_only_as_keyed_hashes(minimal_drop: Path, tmp_path: Path) -> None:
    connection, _ = _load(minimal_drop, tmp_path)
    keys = {row[0] for row in connection.execute("select record_key from raw.records").fetchall()}
    expected = hmac.new(KEY, b"usr_0001", hashlib.sha256).digest()[:RECORD_KEY_BYTES]
    assert expected in keys
    connection.close()
    content = (tmp_path / "build.duckdb").read_bytes()
    for record_id in (b"usr_0001", b"usr_0002", b"tr_1", b"sh_0", b"usr_0003"):
        assert record_id not in content


def test_records_folder_of_undeclared_system_still_loads(
    minimal_drop: Path, tmp_path: Path
) -> None:
    connection, _ = _load(minimal_drop, tmp_path)
    assert connection.execute(
        "select count(*) from raw.records where system_key = 'shadow_tool'"
    ).fetchall() == [(3,)]
    assert connection.execute(
        "select count(*) from raw.systems where system_key = 'shadow_tool'"
    ).fetchall() == [(0,)]


def test_fingerprint_is_sha256_over_sorted_file_hashes(minimal_drop: Path, tmp_path: Path) -> None:
    _, summary = _load(minimal_drop, tmp_path)
    files = sorted(
        p.relative_to(minimal_drop).as_posix() for p in minimal_drop.rglob("*") if p.is_file()
    )
    text = "".join(
        f"{hashlib.sha256((minimal_drop / f).read_bytes()).hexdigest()}  {f}\n" for f in files
    )
    assert summary.drop_fingerprint == "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize(
    ("fmt", "writer"),
    [
        ("jsonl", lambda p, rows: p.write_text("".join(json.dumps(r) + "\n" for r in rows))),
        (
            "parquet",
            lambda p, rows: duckdb.sql(
                "select * from (values "
                + ", ".join(f"('{r['record_id']}', '{r['created_at']}')" for r in rows)
                + ") t(record_id, created_at)"
            ).write_parquet(str(p)),
        ),
    ],
)
def test_required_record_column_missing_in_any_format_fails_the_file(
    minimal_drop: Path, tmp_path: Path, fmt: str, writer: object
) -> None:
    from pipelines.load.errors import DropError

    rows = [{"record_id": "x1", "created_at": "2026-01-01"}]
    writer(minimal_drop / "records" / "portal" / f"more.{fmt}", rows)  # type: ignore[operator]
    with pytest.raises(DropError) as raised:
        _load(minimal_drop, tmp_path)
    assert raised.value.file == f"records/portal/more.{fmt}"
    assert raised.value.field == "record_type, data_subject"  # every missing column named


def test_a_repeated_key_rejects_the_later_row(minimal_drop: Path, tmp_path: Path) -> None:
    vendors = minimal_drop / "vendors.csv"
    vendors.write_bytes(
        vendors.read_bytes() + b"cloudhost,Copy Of Cloud Host,cloud_hosting,processor,US,,,,,,\r\n"
    )
    connection, _ = _load(minimal_drop, tmp_path)
    assert connection.execute(
        "select line, reason from raw.rejects where column_name = 'vendor_key'"
    ).fetchall() == [(5, "duplicate key: an earlier row has the same value")]
    assert connection.execute("select legal_name from raw.vendors").fetchall() == [
        ("Cloud Host Inc",)
    ]


def test_line_numbers_hold_in_a_large_file_read_in_parallel(
    minimal_drop: Path, tmp_path: Path
) -> None:
    rows = 200_000
    bad_lines = {2, 77_777, 150_001, rows + 1}  # line 1 is the header
    with (minimal_drop / "records" / "portal" / "bulk.csv").open("w") as handle:
        handle.write("record_id,record_type,data_subject,created_at,subject_age\n")
        for line in range(2, rows + 2):
            age = "-1" if line in bad_lines else "30"
            handle.write(f"bulk_{line},user_account,customer,2025-01-01,{age}\n")
    connection, summary = _load(minimal_drop, tmp_path)
    rejected = connection.execute(
        "select line from raw.rejects where source_file = 'records/portal/bulk.csv' order by 1"
    ).fetchall()
    assert [line for (line,) in rejected] == sorted(bad_lines)
    [bulk] = [f for f in summary.files if f.source_file == "records/portal/bulk.csv"]
    assert (bulk.rows_read, bulk.rows_rejected) == (rows, len(bad_lines))
    # Each loaded row's line must be the line its id was written on.
    expected_key = hmac_sql("'bulk_' || _source_line::varchar", hmac_pads(KEY))
    [(mismatched,)] = connection.execute(
        "select count(*) from raw.records where _source_file = 'records/portal/bulk.csv' "
        f"and record_key != {expected_key}"
    ).fetchall()
    assert mismatched == 0


def test_typed_parquet_columns_are_used_as_they_are(minimal_drop: Path, tmp_path: Path) -> None:
    """exports.md: Parquet is typed. A zoned timestamp is stored as UTC, a typed integer is
    still checked, and a column typed as text is parsed like a CSV cell; lines are row numbers."""
    duckdb.sql(
        "select * from (values "
        "('p1', 'export', 'customer', timestamptz '2026-03-01 10:00:00+02:00', true, 30, "
        "'2026-03-02T00:00:00+01:00'), "
        "('p2', 'export', 'customer', timestamptz '2026-03-01 10:00:00Z', false, -1, null), "
        "('p3', 'export', 'customer', timestamptz '2026-03-01 10:00:00Z', null, 20, 'soon')"
        ") t(record_id, record_type, data_subject, created_at, legal_hold, subject_age, closed_at)"
    ).write_parquet(str(minimal_drop / "records" / "portal" / "typed.parquet"))
    connection, _ = _load(minimal_drop, tmp_path)
    loaded = connection.execute(
        "select _source_line, created_at, closed_at, legal_hold, subject_age from raw.records "
        "where _source_file = 'records/portal/typed.parquet'"
    ).fetchall()
    assert loaded == [
        (1, dt.datetime(2026, 3, 1, 8, 0), dt.datetime(2026, 3, 1, 23, 0), True, 30),
    ]
    rejects = connection.execute(
        "select line, column_name, value from raw.rejects "
        "where source_file = 'records/portal/typed.parquet' order by line"
    ).fetchall()
    assert rejects == [(2, "subject_age", "-1"), (3, "closed_at", "soon")]


def test_padded_cells_are_trimmed_and_reject_values_keep_every_character(
    minimal_drop: Path, tmp_path: Path
) -> None:
    accounts = minimal_drop / "records" / "portal" / "accounts.csv"
    odd_value = "a\x1fb, c\x1ed"  # the separators rejects travel with until they are settled
    with accounts.open("a", newline="") as handle:
        rows = [
            ["usr_0005", " user_account ", " customer", "", " 2025-01-01 ", "", "", "", "ca ", ""],
            ["usr_0006", "user_account", "customer", "", "2025-01-01", "", "", "", odd_value, ""],
        ]
        csv.writer(handle, lineterminator="\n").writerows(rows)
    connection, _ = _load(minimal_drop, tmp_path)
    assert connection.execute(
        "select record_type, data_subject, created_at, subject_country from raw.records "
        "where _source_file = 'records/portal/accounts.csv' and _source_line = 6"
    ).fetchall() == [("user_account", "customer", dt.datetime(2025, 1, 1), "CA")]
    assert connection.execute(
        "select column_name, value from raw.rejects "
        "where source_file = 'records/portal/accounts.csv' and line = 7"
    ).fetchall() == [("subject_country", "a\x1fb, c\ufffdd")]
