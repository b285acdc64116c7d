"""Bad tabular files answered exactly (issue 15): each either fails with a `DropError` in our
own words naming the file, the physical line and the field, or loads with every row counted.

exports.md "Bad input": a file that cannot be parsed or lacks a required column fails the run;
a bad value in a row is a reject (file, line, column, reason); nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from pipelines.lib.pseudonym import RECORD_KEY_BYTES
from pipelines.load.drop import LoadSummary, load_drop
from pipelines.load.errors import DropError
from pipelines.load.text_files import MAX_LINE_BYTES
from tests.conftest import MINIMAL_DROP

KEY = b"bad-files-test-key"
AS_OF = dt.date(2026, 11, 29)
HEADER = "record_id,record_type,data_subject,created_at\n"
# Words of DuckDB's, Python's or pydantic's own messages: none may reach the user.
FOREIGN_WORDS = (
    "sniff", "Original Line", "Invalid Input", "Error:", "Error when", "KeyError", "Traceback",
    "duckdb", "DuckDB", "Possible fix", "codec", "Expecting", "validation error", "0x",
)  # fmt: skip


def _row(record_id: str, created_at: str = "2025-01-01", record_type: str = "user_account") -> str:
    return f"{record_id},{record_type},customer,{created_at}\n"


def _object(record_id: object, **cells: object) -> str:
    row = {"record_id": record_id, "record_type": "chat_transcript", "data_subject": "consumer"}
    return json.dumps({**row, "created_at": "2026-01-01T10:00:00Z", **cells})


def _parquet_bytes(select: str) -> bytes:
    relation = duckdb.sql(select)
    assert relation is not None
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "file.parquet"
        relation.write_parquet(str(target))
        return target.read_bytes()


def _damaged_footer(parquet: bytes) -> bytes:
    """The file with the first byte of its Thrift footer flipped: DuckDB then raises its base
    Error ("TProtocolException: Invalid data"), not one of its read errors (found by the fuzz
    suite)."""
    footer_length = int.from_bytes(parquet[-8:-4], "little")
    start = len(parquet) - 8 - footer_length
    return parquet[:start] + bytes([parquet[start] ^ 0xFF]) + parquet[start + 1 :]


def _key(record_id: str) -> bytes:
    return hmac.new(KEY, record_id.encode(), hashlib.sha256).digest()[:RECORD_KEY_BYTES]


def _load(drop: Path, database: Path) -> tuple[duckdb.DuckDBPyConnection, LoadSummary]:
    connection = duckdb.connect(str(database))
    return connection, load_drop(
        drop,
        connection,
        run_id="t",
        as_of=AS_OF,
        pseudonym_key=KEY,
        parts=database.parent / "parts",
    )


# --- files that must load -------------------------------------------------------------------

NAMES = [
    "leads.csv", "lead*.csv", "[l]eads.csv", "lead?.csv", "with space ü.csv", "..x..csv",
    "it's.csv", 'say "hi".csv', "back\\slash.csv", "{leads,x}.csv",
]  # fmt: skip
BIG_ID = "big-" + "x" * (10 * 1024 * 1024)
TIMESTAMPS = {
    "ts-plus14": ("2026-03-01T10:00:00+14:00", dt.datetime(2026, 2, 28, 20, 0)),
    "ts-minus12": ("2026-03-01T10:00:00-12:00", dt.datetime(2026, 3, 1, 22, 0)),
    "ts-z": ("2026-03-01T10:00:00Z", dt.datetime(2026, 3, 1, 10, 0)),
    "ts-fraction": ("2026-03-01T10:00:00.123456Z", dt.datetime(2026, 3, 1, 10, 0, 0, 123456)),
    "ts-0530": ("2026-03-01T10:00:00+0530", dt.datetime(2026, 3, 1, 4, 30)),
    "ts-naive": ("2026-03-01T10:00:00", dt.datetime(2026, 3, 1, 10, 0)),
    "ts-9999": ("9999-12-31T23:59:59Z", dt.datetime(9999, 12, 31, 23, 59, 59)),
    "ts-0001": ("0001-01-01T00:00:00Z", dt.datetime(1, 1, 1, 0, 0)),
}
# Not ISO 8601, or outside the years 0001-9999 once converted to UTC: rejected.
BAD_TIMESTAMPS = (
    "2026-02-30T10:00:00Z", "9999-12-31T23:00:00-12:00", "0001-01-01T00:00:00+14:00",
    "infinity", "epoch",
)  # fmt: skip


def _loadable_files() -> dict[str, bytes]:
    files = {
        "records/portal/header_only.csv": HEADER.encode(),
        "records/portal/required_columns_only.csv": (HEADER + _row("rc-1") + _row("rc-2")).encode(),
        "records/portal/trailing_blank_lines.csv": (HEADER + _row("tb-1") + "\n\n").encode(),
        "records/portal/mixed_line_endings.csv": (
            b"record_id,record_type,data_subject,created_at\r\n"
            b"ml-1,user_account,customer,2025-01-01\n"
            b"ml-2,user_account,customer,2025-01-01\r\n"
            b'ml-3,"user\r\naccount",customer,2025-01-01\n'
            b"ml-4,user_account,customer,not-a-date\r\n"
            b"ml-5,user_account,customer,2025-01-01\n"
        ),
        "records/portal/blank_lines.csv": (
            HEADER + _row("bl-1") + "\n\n" + _row("bl-2", "2026-02-30") + _row("bl-3")
        ).encode(),
        "records/portal/extra_columns.csv": (
            b"record_id,note,record_type,data_subject,created_at,Extra col,\n"
            b"ex-1,hello,user_account,customer,2025-01-01,x,y\n"
        ),
        "records/portal/big_cell.csv": (HEADER + _row(BIG_ID) + _row("big-2", "soon")).encode(),
        "records/portal/nul.csv": (
            HEADER + _row("nul\x00id") + _row("nul-2", record_type="user\x00account")
        ).encode(),
        "records/portal/hash_sign.csv": (HEADER + _row("#not-a-comment")).encode(),
        "records/portal/timestamps.csv": (
            HEADER
            + "".join(_row(i, text) for i, (text, _) in TIMESTAMPS.items())
            + "".join(_row(f"ts-bad-{n}", text) for n, text in enumerate(BAD_TIMESTAMPS))
        ).encode(),
        "records/chat/trailing_blank.jsonl": (_object("jt-1") + "\n\n\n").encode(),
        "records/chat/empty.jsonl": b"",
        "records/chat/blank.jsonl": b"\n \r\n",
        "records/chat/bom.jsonl": ("\ufeff" + _object("jb-1") + "\n" + _object("jb-2")).encode(),
        "records/chat/blank_lines.jsonl": (
            _object("jl-1")
            + "\r\n\r\n   \n"
            + _object("jl-2", created_at="later")
            + "\r\n"
            + _object("jl-3")
            + "\n"
        ).encode(),
        "records/chat/nested.jsonl": "".join(
            line + "\n"
            for line in (
                _object({"id": 1}),
                _object("jn-2", customer_key={"key": "hotel_co"}),
                _object(12),
                _object("jn-4", subject_age=[1]),
                _object("jn\x005"),
            )
        ).encode(),
        "records/shadow_tool/typed.parquet": _parquet_bytes(
            "select * from (values (7, '2026-03-01T10:00:00+0530'), (8, 'soon')) "
            "t(record_id, created_at), (select 'export' as record_type, "
            "'customer' as data_subject)"
        ),
    }
    for index, name in enumerate(NAMES):
        rows = "".join(_row(f"name-{index}-{n}") for n in range(index + 1))
        files[f"records/portal/{name}"] = (HEADER + rows).encode()
    return files


@dataclass(frozen=True)
class Loaded:
    connection: duckdb.DuckDBPyConnection
    summary: LoadSummary

    def file(self, relative: str) -> tuple[int, int, int]:
        [load] = [f for f in self.summary.files if f.source_file == relative]
        return load.rows_read, load.rows_loaded, load.rows_rejected

    def rejects(self, relative: str) -> list[tuple[object, ...]]:
        return self.connection.execute(
            "select line, column_name, value, reason from raw.rejects where source_file = ? "
            "order by line, column_name",
            [relative],
        ).fetchall()

    def lines(self, relative: str) -> list[tuple[object, ...]]:
        return self.connection.execute(
            "select _source_line, record_key from raw.records where _source_file = ? order by 1",
            [relative],
        ).fetchall()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """One load of the minimal drop with every file that must load added to it."""
    base = tmp_path_factory.mktemp("loadable")
    drop = base / "drop"
    shutil.copytree(MINIMAL_DROP, drop)
    for relative, content in _loadable_files().items():
        (drop / relative).write_bytes(content)
    connection, summary = _load(drop, base / "build.duckdb")
    yield Loaded(connection, summary)
    connection.close()


def test_every_row_of_every_file_is_loaded_or_rejected(loaded: Loaded) -> None:
    for load in loaded.summary.files:
        assert load.rows_read == load.rows_loaded + load.rows_rejected, load
    [(rejected_rows,)] = loaded.connection.execute(
        "select count(distinct (source_file, line)) from raw.rejects"
    ).fetchall()
    assert rejected_rows == loaded.summary.rows_rejected


@pytest.mark.parametrize(("index", "name"), list(enumerate(NAMES)))
def test_a_file_name_is_literal_never_a_pattern(loaded: Loaded, index: int, name: str) -> None:
    relative = f"records/portal/{name}"
    assert loaded.file(relative) == (index + 1, index + 1, 0)
    keys = {key for _, key in loaded.lines(relative)}
    assert keys == {_key(f"name-{index}-{n}") for n in range(index + 1)}


def test_a_header_only_csv_loads_no_rows(loaded: Loaded) -> None:
    assert loaded.file("records/portal/header_only.csv") == (0, 0, 0)


def test_a_csv_with_only_the_required_columns_loads_with_defaults(loaded: Loaded) -> None:
    """exports.md "records/": the optional columns may be left out; legal_hold is then false."""
    relative = "records/portal/required_columns_only.csv"
    assert loaded.file(relative) == (2, 2, 0)
    assert loaded.connection.execute(
        "select record_key, customer_key, last_activity_at, closed_at, legal_hold, "
        "subject_country, subject_age from raw.records where _source_file = ? order by 1",
        [relative],
    ).fetchall() == sorted((_key(i), None, None, None, False, None, None) for i in ("rc-1", "rc-2"))


def test_a_json_lines_file_without_objects_loads_no_rows(loaded: Loaded) -> None:
    """JSON Lines has no header: an empty file is an extract without records."""
    assert loaded.file("records/chat/empty.jsonl") == (0, 0, 0)
    assert loaded.file("records/chat/blank.jsonl") == (0, 0, 0)


def test_trailing_blank_lines_are_not_rows(loaded: Loaded) -> None:
    assert loaded.file("records/portal/trailing_blank_lines.csv") == (1, 1, 0)
    assert loaded.file("records/chat/trailing_blank.jsonl") == (1, 1, 0)


def test_mixed_line_endings_load_with_physical_line_numbers(loaded: Loaded) -> None:
    relative = "records/portal/mixed_line_endings.csv"
    assert loaded.file(relative) == (5, 3, 2)
    assert [(line, column) for line, column, _, _ in loaded.rejects(relative)] == [
        (4, "record_type"),  # the quoted field spans lines 4 and 5
        (6, "created_at"),
    ]
    assert loaded.lines(relative) == [(2, _key("ml-1")), (3, _key("ml-2")), (7, _key("ml-5"))]


def test_blank_lines_are_not_rows_and_keep_later_lines_right(loaded: Loaded) -> None:
    relative = "records/portal/blank_lines.csv"
    assert loaded.file(relative) == (3, 2, 1)
    [(line, column, value, reason)] = loaded.rejects(relative)
    assert (line, column, value) == (5, "created_at", "2026-02-30")
    assert "ISO 8601" in str(reason)
    assert loaded.lines(relative) == [(2, _key("bl-1")), (6, _key("bl-3"))]
    jsonl = "records/chat/blank_lines.jsonl"
    assert loaded.file(jsonl) == (3, 2, 1)
    assert [(line, column) for line, column, _, _ in loaded.rejects(jsonl)] == [(4, "created_at")]
    assert loaded.lines(jsonl) == [(1, _key("jl-1")), (5, _key("jl-3"))]


def test_unknown_columns_are_ignored(loaded: Loaded) -> None:
    assert loaded.file("records/portal/extra_columns.csv") == (1, 1, 0)


def test_a_10_mb_cell_loads(loaded: Loaded) -> None:
    assert MAX_LINE_BYTES >= 64 * 1024 * 1024
    relative = "records/portal/big_cell.csv"
    assert loaded.file(relative) == (2, 1, 1)
    assert loaded.lines(relative) == [(2, _key(BIG_ID))]
    assert [(line, column) for line, column, _, _ in loaded.rejects(relative)] == [
        (3, "created_at")
    ]


def test_a_nul_character_rejects_the_row_and_never_shows_the_id(loaded: Loaded) -> None:
    rejects = loaded.rejects("records/portal/nul.csv")
    assert [(line, column, value) for line, column, value, _ in rejects] == [
        (2, "record_id", None),
        (3, "record_type", "user\ufffdaccount"),
    ]
    assert "NUL" in str(rejects[0][3])


def test_a_hash_sign_starts_a_value_not_a_comment(loaded: Loaded) -> None:
    assert loaded.lines("records/portal/hash_sign.csv") == [(2, _key("#not-a-comment"))]


def test_timestamps_of_every_offset_are_stored_in_utc(loaded: Loaded) -> None:
    relative = "records/portal/timestamps.csv"
    stored = dict(
        loaded.connection.execute(
            "select record_key, created_at from raw.records where _source_file = ?", [relative]
        ).fetchall()
    )
    assert stored == {_key(i): utc for i, (_, utc) in TIMESTAMPS.items()}
    rejects = loaded.rejects(relative)
    assert [value for _, _, value, _ in rejects] == list(BAD_TIMESTAMPS)
    assert {column for _, column, _, _ in rejects} == {"created_at"}
    first_bad_line = len(TIMESTAMPS) + 2
    assert [line for line, _, _, _ in rejects] == list(
        range(first_bad_line, first_bad_line + len(BAD_TIMESTAMPS))
    )


def test_json_lines_with_a_byte_order_mark_load(loaded: Loaded) -> None:
    assert loaded.lines("records/chat/bom.jsonl") == [(1, _key("jb-1")), (2, _key("jb-2"))]


def test_objects_and_lists_as_json_values_reject_the_row(loaded: Loaded) -> None:
    relative = "records/chat/nested.jsonl"
    rejects = loaded.rejects(relative)
    assert [(line, column, value) for line, column, value, _ in rejects] == [
        (1, "record_id", None),
        (2, "customer_key", '{"key":"hotel_co"}'),
        (4, "subject_age", "[1]"),
        (5, "record_id", None),
    ]
    assert "object" in str(rejects[0][3])
    assert "NUL" in str(rejects[3][3])
    assert loaded.lines(relative) == [(3, _key("12"))]  # a number as the id is its text


def test_typed_parquet_integer_id_and_text_timestamp(loaded: Loaded) -> None:
    relative = "records/shadow_tool/typed.parquet"
    assert loaded.connection.execute(
        "select _source_line, record_key, created_at from raw.records where _source_file = ?",
        [relative],
    ).fetchall() == [(1, _key("7"), dt.datetime(2026, 3, 1, 4, 30))]
    assert [(line, column) for line, column, _, _ in loaded.rejects(relative)] == [
        (2, "created_at")
    ]


# --- files that must fail the load ----------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    relative: str
    content: bytes
    location: str
    field: str | None
    problem: str  # words the message must hold


def _vendors_with(line: bytes) -> bytes:
    return (MINIMAL_DROP / "vendors.csv").read_bytes() + line


BAD_FILES = {
    "semicolon delimiter": Bad(
        "records/portal/bad.csv",
        b"record_id;record_type;data_subject;created_at\nRID-SECRET-1;a;customer;2025-01-01\n",
        "line 1 (header)",
        "record_id, record_type, data_subject, created_at",
        "comma-separated",
    ),
    "latin-1 in vendors.csv": Bad(
        "vendors.csv",
        _vendors_with(b"cafe,Caf\xe9 Ltd,crm,processor,FR,,,,,,\r\n"),
        "line 5",
        None,
        "not UTF-8",
    ),
    "latin-1 in a record file": Bad(
        "records/portal/bad.csv",
        (HEADER + _row("RID-SECRET-2")).encode() + b"RID-SECRET-3\xe9,a,customer,2025-01-01\n",
        "line 3",
        None,
        "not UTF-8",
    ),
    "latin-1 in the header": Bad(
        "records/portal/bad.csv",
        b"record_id,record_type,data_subject,created_at,caf\xe9\n",
        "line 1 (header)",
        None,
        "not UTF-8",
    ),
    "utf-16 with a byte-order mark": Bad(
        "records/portal/bad.csv",
        (HEADER + _row("RID-SECRET-4")).encode("utf-16"),
        "file",
        None,
        "UTF-16",
    ),
    "utf-16 without a byte-order mark": Bad(
        "records/portal/bad.csv",
        (HEADER + _row("RID-SECRET-5")).encode("utf-16-le"),
        "line 1 (header)",
        None,
        "not UTF-8",
    ),
    "empty file": Bad("records/portal/bad.csv", b"", "file", None, "empty"),
    "duplicate column": Bad(
        "records/portal/bad.csv",
        (
            HEADER.replace("\n", ",record_type\n") + "RID-SECRET-6,a,customer,2025-01-01,b\n"
        ).encode(),
        "line 1 (header)",
        "record_type",
        "twice",
    ),
    "duplicate column in another case": Bad(
        "customers.csv",
        (MINIMAL_DROP / "customers.csv").read_bytes().replace(b"\n", b",Status\n", 1),
        "line 1 (header)",
        "Status",
        "twice",
    ),
    "unterminated quote": Bad(
        "records/portal/bad.csv",
        (
            HEADER + _row("RID-SECRET-7") + '"RID-SECRET-8,a,customer,2025-01-01\n' + _row("z")
        ).encode(),
        "line 3",
        None,
        "quote",
    ),
    "text after a closing quote in the header": Bad(
        "records/portal/bad.csv",
        ('"record_id"x,' + HEADER[len("record_id,") :] + _row("RID-SECRET-23")).encode(),
        "line 1 (header)",
        None,
        "quote",
    ),
    "text after a closing quote": Bad(
        "records/portal/bad.csv",
        (HEADER + "\n" + '"RID-SECRET-9"x,a,customer,2025-01-01\n').encode(),
        "line 3",
        None,
        "quote",
    ),
    "too few fields": Bad(
        "records/portal/bad.csv",
        (HEADER + _row("RID-SECRET-10") + "RID-SECRET-11,a,customer\n").encode(),
        "line 3",
        None,
        "3 fields where the header has 4",
    ),
    "too many fields after a blank line": Bad(
        "records/portal/bad.csv",
        (HEADER + "\r\n" + _row("RID-SECRET-12").replace("\n", ",x\r\n")).encode(),
        "line 3",
        None,
        "5 fields where the header has 4",
    ),
    "json array line": Bad(
        "records/chat/bad.jsonl",
        (_object("RID-SECRET-14") + "\n[1, 2]\n").encode(),
        "line 2",
        None,
        "not a JSON object",
    ),
    "json string line after a blank line": Bad(
        "records/chat/bad.jsonl",
        (_object("RID-SECRET-15") + "\n\n" + '"RID-SECRET-16"\n').encode(),
        "line 3",
        None,
        "not a JSON object",
    ),
    "json lines that are all strings": Bad(
        "records/chat/bad.jsonl", b'"RID-SECRET-17"\n', "line 1", None, "not a JSON object"
    ),
    "malformed json line": Bad(
        "records/chat/bad.jsonl",
        (_object("a") + "\n" + _object("b") + "\n" + '{"record_id": "RID-SECRET-18",\n').encode(),
        "line 3",
        None,
        "not valid JSON",
    ),
    "json key twice": Bad(
        "records/chat/bad.jsonl",
        _object("RID-SECRET-19").replace("{", '{"record_id": "RID-SECRET-20", ', 1).encode(),
        "line 1",
        "record_id",
        "twice",
    ),
    "latin-1 in json lines": Bad(
        "records/chat/bad.jsonl",
        (_object("a") + "\n").encode() + _object("RID-SECRET-21").encode().replace(b"21", b"\xe9"),
        "line 2",
        None,
        "not UTF-8",
    ),
    "truncated parquet": Bad(
        "records/shadow_tool/bad.parquet",
        (MINIMAL_DROP / "records/shadow_tool/exports.parquet").read_bytes()[:-40],
        "file",
        None,
        "Parquet",
    ),
    "parquet footer damaged": Bad(
        "records/shadow_tool/bad.parquet",
        _damaged_footer((MINIMAL_DROP / "records/shadow_tool/exports.parquet").read_bytes()),
        "file",
        None,
        "Parquet",
    ),
    "nested parquet column": Bad(
        "records/shadow_tool/bad.parquet",
        _parquet_bytes(
            "select {'id': 'RID-SECRET-22'} as record_id, 'export' as record_type, "
            "'customer' as data_subject, timestamp '2026-01-01' as created_at"
        ),
        "file",
        "record_id",
        "STRUCT",
    ),
}


def _messages(error: BaseException) -> list[str]:
    """The error and every exception it was raised from or during."""
    messages: list[str] = []
    current: BaseException | None = error
    while current is not None:
        messages.append(str(current))
        current = current.__cause__ or current.__context__
    return messages


def _assert_fails_in_our_words(drop: Path, database: Path, case: Bad) -> None:
    (drop / case.relative).write_bytes(case.content)
    with pytest.raises(DropError) as raised:
        _load(drop, database)
    error = raised.value
    assert (error.file, error.location, error.field) == (case.relative, case.location, case.field)
    assert case.problem in error.problem
    for message in _messages(error):
        assert "RID-SECRET" not in message, message[:300]
        for word in FOREIGN_WORDS:
            assert word not in message, message[:300]


@pytest.mark.parametrize("case", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_a_bad_file_fails_in_our_words_naming_file_line_and_field(
    minimal_drop: Path, tmp_path: Path, case: Bad
) -> None:
    _assert_fails_in_our_words(minimal_drop, tmp_path / "build.duckdb", case)


def test_a_line_longer_than_the_limit_fails_naming_it(minimal_drop: Path, tmp_path: Path) -> None:
    content = (HEADER + _row("RID-SECRET-13" + "x" * MAX_LINE_BYTES)).encode()
    case = Bad("records/portal/bad.csv", content, "line 2", None, "64 MB")
    _assert_fails_in_our_words(minimal_drop, tmp_path / "build.duckdb", case)
