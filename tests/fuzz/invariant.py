"""The loader's invariant over any drop (issue 15), checked on a real DuckDB build file.

Either `load_drop` raises a `DropError` whose file is inside the drop, or every file of the drop
is in `raw.load_audit` and every row read was loaded or rejected, with the counts the test
itself generated. No raw `record_id` may show in an error (or what it was raised from) or in
`raw.rejects`.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
from hypothesis import currently_in_test_context, event

from pipelines.load.drop import load_drop
from pipelines.load.errors import DropError, DropErrors

MINIMAL_DROP = Path(__file__).parents[1] / "fixtures" / "minimal_drop"
AS_OF = dt.date(2026, 11, 29)
PSEUDONYM_KEY = b"k" * 32
# Data rows of the minimal drop's files, counted by hand (a quoted cell spans lines in vendors).
MINIMAL_DROP_ROWS = {
    "vendors.csv": 2,
    "customers.csv": 2,
    "privacy_requests.csv": 3,
    "cookies.csv": 2,
    "records/chat/transcripts.jsonl": 2,
    "records/portal/accounts.csv": 4,
    "records/shadow_tool/exports.parquet": 3,
}
_RAW_TABLE_OF_ROOT_FILE = {
    "vendors.csv": "vendors",
    "customers.csv": "customers",
    "privacy_requests.csv": "privacy_requests",
    "cookies.csv": "cookies",
}
_READ_SUFFIXES = (".csv", ".jsonl", ".parquet")


@dataclass(frozen=True)
class LoadOutcome:
    error: DropError | None
    # source_file -> (rows_read, rows_loaded, rows_rejected); empty when the load failed
    audit: dict[str, tuple[int | None, int | None, int | None]]


@contextmanager
def minimal_drop_copy() -> Iterator[Path]:
    """A writable copy of the minimal drop in a fresh folder (one per hypothesis example:
    pytest's tmp_path is shared by every example of a test)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        drop = Path(folder) / "drop"
        shutil.copytree(MINIMAL_DROP, drop)
        yield drop


def check_load(
    drop: Path,
    generated_rows: dict[str, int | None],
    record_ids: Iterable[str] = (),
    *,
    must_publish: bool = False,
    must_fail_on: str | None = None,
) -> LoadOutcome:
    """Load `drop` into a fresh build file next to it and assert the invariant.

    `generated_rows` holds the data rows the test wrote per file (its own count, not the
    loader's; None where a damaged file has no defined count). `must_publish` and
    `must_fail_on` sharpen the invariant where the contract decides the outcome: a well-formed
    file with bad values loads, one without a required column fails naming that file."""
    ids = [i for i in record_ids if i]
    build = drop.parent / "build.duckdb"
    assert not build.exists(), "one load a drop copy"
    connection = duckdb.connect(str(build))
    try:
        try:
            load_drop(
                drop,
                connection,
                run_id="fuzz",
                as_of=AS_OF,
                pseudonym_key=PSEUDONYM_KEY,
                parts=build.parent / "parts",
            )
        except DropError as error:
            assert not must_publish, f"a drop the contract accepts failed: {error}"
            _assert_names_a_file_of(drop, error)
            if must_fail_on is not None:
                assert error.file == must_fail_on, f"expected an error on {must_fail_on}: {error}"
            assert_no_record_id(ids, _messages_of(error))
            _tally(f"failed: {error.problem[:60]}")
            return LoadOutcome(error, {})
        assert must_fail_on is None, f"loaded, though {must_fail_on} breaks the contract"
        audit = _audit(connection)
        _assert_every_row_accounted_for(drop, connection, audit, generated_rows)
        _assert_no_record_id_stored(connection, ids)
        _tally("published")
        return LoadOutcome(None, audit)
    finally:
        connection.close()


def _tally(outcome: str) -> None:
    """Count the outcome in hypothesis' statistics (`--hypothesis-show-statistics`)."""
    if currently_in_test_context():
        event(outcome)


def assert_no_record_id(record_ids: Iterable[str], texts: Iterable[str]) -> None:
    texts = list(texts)
    for record_id in record_ids:
        for text in texts:
            assert record_id not in text, f"raw record id {record_id!r} in: {text[:300]!r}"


def _messages_of(error: BaseException) -> list[str]:
    """The error and everything it was raised from: Dagster stores the whole chain."""
    messages: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        messages.append(str(current))
        current = current.__cause__ or current.__context__
    return messages


def _assert_names_a_file_of(drop: Path, error: DropError) -> None:
    files = [p.file for p in error.problems] if isinstance(error, DropErrors) else [error.file]
    for file in files:
        named = file.rstrip("/")
        assert named and not Path(named).is_absolute(), f"not a path in the drop: {error}"
        assert (drop / named).exists(), f"names no file of the drop: {error}"


def _audit(
    connection: duckdb.DuckDBPyConnection,
) -> dict[str, tuple[int | None, int | None, int | None]]:
    rows = connection.execute(
        "select source_file, rows_read, rows_loaded, rows_rejected from raw.load_audit"
    ).fetchall()
    audit = {str(f): (read, loaded, rejected) for f, read, loaded, rejected in rows}
    assert len(audit) == len(rows), "a file is twice in load_audit"
    return audit


def _is_read(relative: str) -> bool:
    if relative in _RAW_TABLE_OF_ROOT_FILE:
        return True
    return relative.startswith("records/") and relative.lower().endswith(_READ_SUFFIXES)


def _assert_every_row_accounted_for(
    drop: Path,
    connection: duckdb.DuckDBPyConnection,
    audit: dict[str, tuple[int | None, int | None, int | None]],
    generated_rows: dict[str, int | None],
) -> None:
    files = {p.relative_to(drop).as_posix() for p in drop.rglob("*") if p.is_file()}
    assert set(audit) == files, "load_audit must list every file of the drop, once"
    for relative in sorted(f for f in files if _is_read(f)):
        read, loaded, rejected = audit[relative]
        assert read is not None and loaded is not None and rejected is not None, relative
        assert read == loaded + rejected, f"{relative}: {read} read != {loaded} + {rejected}"
        expected = (
            generated_rows[relative]
            if relative in generated_rows
            else MINIMAL_DROP_ROWS.get(relative)
        )
        if expected is not None:
            assert read == expected, f"{relative}: {read} rows read, the file has {expected}"
        table = _RAW_TABLE_OF_ROOT_FILE.get(relative, "records")
        [(in_table,)] = connection.execute(
            f"select count(*) from raw.{table} where _source_file = ?", [relative]
        ).fetchall()
        [(rejected_lines,)] = connection.execute(
            "select count(distinct line) from raw.rejects where source_file = ?", [relative]
        ).fetchall()
        assert in_table == loaded, f"{relative}: {in_table} rows in raw.{table}, {loaded} loaded"
        assert rejected_lines == rejected, (
            f"{relative}: {rejected} rows rejected, raw.rejects names {rejected_lines} lines"
        )


def _assert_no_record_id_stored(connection: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    if not ids:
        return
    texts = [
        "\x1f".join("" if cell is None else str(cell) for cell in row)
        for table in ("rejects", "records")
        for row in connection.execute(f"select * from raw.{table}").fetchall()
    ]
    assert_no_record_id(ids, texts)
