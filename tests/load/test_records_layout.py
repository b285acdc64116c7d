"""records/<system_key>/ at any depth (exports.md): what is read, what is not, what is an error."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.load.drop import LoadSummary, load_drop
from pipelines.load.errors import DropError

AS_OF = dt.date(2026, 11, 29)


def _load(drop: Path, tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, LoadSummary]:
    connection = duckdb.connect(str(tmp_path / "build.duckdb"))
    summary = load_drop(
        drop, connection, run_id="t", as_of=AS_OF, pseudonym_key=b"k", parts=tmp_path / "parts"
    )
    return connection, summary


def _audit(connection: duckdb.DuckDBPyConnection, source_file: str) -> tuple[object, ...]:
    [row] = connection.execute(
        "select file_format, rows_read, rows_loaded, rows_rejected from raw.load_audit "
        "where source_file = ?",
        [source_file],
    ).fetchall()
    return tuple(row)


def test_a_text_file_in_a_system_folder_is_kept_unread(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "records/portal/README.txt").write_text("exported nightly\n")
    (minimal_drop / "records/portal/export").write_text("no suffix\n")
    connection, summary = _load(minimal_drop, tmp_path)
    # not read, not an error: load_audit keeps it with null counts (drop.unread_file)
    assert _audit(connection, "records/portal/README.txt") == ("txt", None, None, None)
    assert _audit(connection, "records/portal/export") == ("", None, None, None)
    assert "records/portal/README.txt" not in {f.source_file for f in summary.files}
    # dq_load_balance reads only files with counts: an unread file loses no rows
    [(unbalanced,)] = connection.execute(
        "select count(*) from raw.load_audit "
        "where rows_read is not null and rows_read != rows_loaded + rows_rejected"
    ).fetchall()
    assert unbalanced == 0


def test_a_csv_in_a_subfolder_belongs_to_the_system(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "records/portal/2026").mkdir()
    shutil.copy(
        minimal_drop / "records/portal/accounts.csv", minimal_drop / "records/portal/2026/more.csv"
    )
    connection, summary = _load(minimal_drop, tmp_path)
    relative = "records/portal/2026/more.csv"
    read = {f.source_file: f for f in summary.files}[relative]
    assert _audit(connection, relative) == (
        "csv", read.rows_read, read.rows_loaded, read.rows_rejected
    )  # fmt: skip
    assert read.rows_read == read.rows_loaded + read.rows_rejected > 0
    systems = connection.execute(
        "select distinct system_key from raw.records where _source_file = ?", [relative]
    ).fetchall()
    assert systems == [("portal",)]


def test_a_jsonl_two_levels_deep_is_read(minimal_drop: Path, tmp_path: Path) -> None:
    deep = minimal_drop / "records/chat/exports/2026-11"
    deep.mkdir(parents=True)
    shutil.copy(minimal_drop / "records/chat/transcripts.jsonl", deep / "transcripts.jsonl")
    connection, _ = _load(minimal_drop, tmp_path)
    relative = "records/chat/exports/2026-11/transcripts.jsonl"
    [(rows, systems)] = connection.execute(
        "select count(*), list(distinct system_key) from raw.records where _source_file = ?",
        [relative],
    ).fetchall()
    lines = (deep / "transcripts.jsonl").read_text().strip().splitlines()
    file_format, rows_read, rows_loaded, rows_rejected = _audit(connection, relative)
    assert (file_format, rows_read) == ("jsonl", len(lines))
    assert rows_loaded == rows and systems == ["chat"]
    # lines are numbered within the nested file, like any other
    [(first_line,)] = connection.execute(
        "select min(_source_line) from raw.records where _source_file = ?", [relative]
    ).fetchall()
    assert first_line == 1 and rows_rejected == rows_read - rows


def test_a_file_directly_in_records_is_an_error(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "records/stray.csv").write_text("record_id\n")
    with pytest.raises(DropError) as raised:
        _load(minimal_drop, tmp_path)
    assert raised.value.file == "records/stray.csv"


def test_a_symbolic_link_under_records_is_an_error(minimal_drop: Path, tmp_path: Path) -> None:
    (minimal_drop / "records/portal/linked.csv").symlink_to(
        minimal_drop / "records/portal/accounts.csv"
    )
    with pytest.raises(DropError) as raised:
        _load(minimal_drop, tmp_path)
    assert raised.value.file == "records/portal/linked.csv"
    assert "symbolic link" in str(raised.value)
