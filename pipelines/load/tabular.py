"""Typed loading of CSV, JSON Lines and Parquet files with DuckDB's readers.

Every cell is validated in SQL; a row with a bad value goes to `raw.rejects` (file, line,
column, value, reason) and the rest loads, so every input row is either loaded or rejected.
A file that cannot be parsed or lacks a required column raises `DropError`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.load.errors import DropError
from pipelines.load.tabular_specs import FALSE_WHEN_EMPTY, Column, TableSpec

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}
# exports.md: a key is `[a-z0-9][a-z0-9_.-]*` (cells, and the records/ folder names)
KEY_PATTERN = "[a-z0-9][a-z0-9_.-]*"
_REJECT_VALUE_LIMIT = 200
ERRORS_COLUMN = "_errors"
# A row's rejects travel as text until `settle_rejects`: entries apart by the ASCII record
# separator, each `column<US>reason[<US>value]` (US: the unit separator). Text, unlike a list
# of structs, costs next to nothing to carry for the rows that are good.
_ENTRY_SEPARATOR = "chr(30)"
_FIELD_SEPARATOR = "chr(31)"
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")
_NATIVE_TYPES = {
    "timestamp": ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_S", "TIMESTAMP_MS",
                  "TIMESTAMP_NS", "DATE"),
    "date": ("DATE",),
    "boolean": ("BOOLEAN",),
    "integer": _INTEGER_TYPES,
}  # fmt: skip


@dataclass(frozen=True)
class FileLoad:
    """What became of one file's rows."""

    source_file: str
    file_format: str
    rows_read: int
    rows_loaded: int
    rows_rejected: int


@dataclass(frozen=True)
class LoadTarget:
    """Where a file's rows go, and what is added to each row beyond the file's own columns."""

    spec: TableSpec
    extra_columns: dict[str, str]  # raw column -> SQL expression (e.g. the system_key literal)
    data_subjects: frozenset[str]
    record_id_sql: str | None = None  # the HMAC expression replacing `record_id`, records only


def file_format(path: Path, relative: str) -> str:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError as error:
        raise DropError(
            relative,
            "file",
            None,
            f"unsupported format '{path.suffix}': use .csv, .jsonl or .parquet",
        ) from error


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _reader_sql(path: Path, fmt: str, columns: list[str] | None) -> str:
    location = _quote(str(path))
    if fmt == "csv":
        return (
            f"read_csv({location}, header = true, all_varchar = true, delim = ',', quote = '\"', "
            "escape = '\"', strict_mode = true, auto_detect = true)"
        )
    if fmt == "jsonl":
        if columns is None:
            return f"read_json({location}, format = 'newline_delimited')"
        struct = ", ".join(f"{_quote(c)}: 'VARCHAR'" for c in columns)
        return f"read_json({location}, format = 'newline_delimited', columns = {{{struct}}})"
    if columns is None:
        return f"read_parquet({location})"
    return f"read_parquet({location}, file_row_number = true)"


def _source_types(
    connection: duckdb.DuckDBPyConnection, path: Path, fmt: str, relative: str
) -> dict[str, str]:
    """The file's columns and the types they are read as: Parquet is typed (exports.md), so
    its columns keep their own types; CSV and JSON Lines cells are read as text."""
    try:
        described = connection.execute(f"describe select * from {_reader_sql(path, fmt, None)}")
        columns = {str(row[0]): str(row[1]) for row in described.fetchall()}
    except duckdb.Error as error:
        raise DropError(
            relative, "file", None, f"cannot be parsed as {fmt}: {_first_line(error)}"
        ) from error
    if fmt == "parquet":
        return columns
    return dict.fromkeys(columns, "VARCHAR")


def _cleaned_text_sql(column_sql: str) -> str:
    """The cell as text, surrounding spaces removed, empty as null. `trim` only runs on the
    rare padded cell: on every cell it costs more than the rest of the cleaning."""
    text = f"cast({column_sql} as varchar)"
    padded = f"starts_with({text}, ' ') or ends_with({text}, ' ')"
    return f"nullif(case when {padded} then trim({text}) else {text} end, '')"


def _is_native(column: Column, source_type: str) -> bool:
    """Whether a typed Parquet column already holds the contract's type: it is then used as
    is, not turned into text and parsed back."""
    return source_type in _NATIVE_TYPES.get(column.kind, ())


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _utc_timestamp_sql(zoned: str) -> str:
    """The UTC wall time of a `timestamptz`: from its instant, not through the session's time
    zone, which costs a calendar conversion per value."""
    return f"make_timestamp(epoch_us({zoned}))"


def _native_value_sql(column: Column, raw: str, source_type: str) -> tuple[str, str]:
    """(value, "is bad") for a Parquet column already of the contract's type."""
    if column.kind == "timestamp":
        if source_type == "TIMESTAMP WITH TIME ZONE":
            return _utc_timestamp_sql(raw), "false"
        return f"cast({raw} as timestamp)", "false"
    if column.kind == "integer" and column.minimum is not None:
        return raw, f"{raw} < {column.minimum}"
    return raw, "false"


def _value_sql(column: Column, raw: str, data_subjects: frozenset[str]) -> tuple[str, str]:
    """(typed value expression, "is bad" expression) for one column's cleaned text `raw`."""
    if column.kind == "key":
        return raw, f"not regexp_full_match({raw}, '{KEY_PATTERN}')"
    if column.kind == "enum":
        choices = ", ".join(_quote(c) for c in column.choices)
        return f"lower({raw})", f"lower({raw}) not in ({choices})"
    if column.kind == "country":
        return f"upper({raw})", f"not regexp_full_match(upper({raw}), '[A-Z]{{2}}')"
    if column.kind == "date":
        value = f"try_cast({raw} as date)"
        return (
            value,
            f"(not regexp_full_match({raw}, '\\d{{4}}-\\d{{2}}-\\d{{2}}') or {value} is null)",
        )
    if column.kind == "timestamp":
        # Parsed with its offset (or as UTC, the session's zone), stored as the UTC wall time.
        value = f"try_cast({raw} as timestamptz)"
        return _utc_timestamp_sql(value), f"{value} is null"
    if column.kind == "boolean":
        value = (
            f"case when lower({raw}) in ('true', '1', 'yes') then true "
            f"when lower({raw}) in ('false', '0', 'no') then false end"
        )
        return value, f"({value}) is null"
    if column.kind == "integer":
        value = f"try_cast({raw} as bigint)"
        below = f" or {value} < {column.minimum}" if column.minimum is not None else ""
        return value, f"({value} is null{below})"
    if column.kind == "data_subject":
        known = ", ".join(_quote(s) for s in sorted(data_subjects))
        return raw, f"{raw} not in ({known})"
    return raw, "false"


def _reason(column: Column) -> str:
    reasons = {
        "key": f"not a key ({KEY_PATTERN})",
        "enum": f"not one of {', '.join(column.choices)}",
        "country": "not an ISO 3166-1 alpha-2 country code",
        "date": "not a date YYYY-MM-DD",
        "timestamp": "not an ISO 8601 timestamp",
        "boolean": "not a boolean (true/false, 1/0, yes/no)",
        "integer": "not a whole number"
        + (f" >= {column.minimum}" if column.minimum is not None else ""),
        "data_subject": "unknown data subject (not in the taxonomy)",
    }
    return reasons.get(column.kind, "invalid value")


def load_file(
    connection: duckdb.DuckDBPyConnection, path: Path, relative: str, target: LoadTarget
) -> None:
    """Insert every row of the file, typed, into its raw table with the row's `_errors`.

    Rows are read once and written once; `settle_rejects` then moves the rows with errors to
    `raw.rejects`. (Staging the file in a temporary table first cost a whole extra copy.)
    """
    fmt = file_format(path, relative)
    spec = target.spec
    types = _source_types(connection, path, fmt, relative)
    for column in spec.columns:
        if column.required and column.name not in types:
            where = "line 1 (header)" if fmt == "csv" else "file"
            raise DropError(relative, where, column.name, "required column missing")
    read_columns = [c for c in spec.columns if c.name in types]
    source = _reader_sql(path, fmt, [c.name for c in read_columns])
    cleaned = [
        _ident(c.name)
        if _is_native(c, types[c.name])
        else f"{_cleaned_text_sql(_ident(c.name))} as {_ident(c.name)}"
        for c in read_columns
    ]
    errors, values = _validation_sql(spec, types, target)
    selected = [f"{value} as {_ident(name)}" for name, value in values if name != "record_id"]
    selected += [f"{value} as {name}" for name, value in target.extra_columns.items()]
    if target.record_id_sql is not None:
        selected.append(f"{target.record_id_sql.format(column='record_id')} as record_key")
    selected += [
        f"{_quote(relative)} as _source_file",
        f"{_errors_sql(errors)} as {ERRORS_COLUMN}",
    ]
    if fmt == "parquet":  # the reader numbers rows itself, in parallel
        cleaned.append("file_row_number + 1 as _source_line")
        selected.append("_source_line")
    # Inserts keep the file's order, so the rows of this file take the next rowids; numbering
    # rows in the query itself would force the whole load onto one thread.
    [(first_rowid,)] = connection.execute(f"select count(*) from raw.{spec.table}").fetchall()
    try:
        connection.execute(
            f"insert into raw.{spec.table} by name select {', '.join(selected)} "
            f"from (select {', '.join(cleaned)} from {source})"
        )
    except duckdb.Error as error:
        raise DropError(
            relative, "file", None, f"cannot be parsed as {fmt}: {_first_line(error)}"
        ) from error
    if fmt != "parquet":
        _number_text_lines(connection, path, relative, fmt, spec.table, first_rowid)


def _number_text_lines(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    relative: str,
    fmt: str,
    table: str,
    first_rowid: int,
) -> None:
    """Set `_source_line` of a CSV or JSON Lines file's rows, which took the rowids from
    `first_rowid` on in file order."""
    header_lines = 1 if fmt == "csv" else 0
    connection.execute(
        f"update raw.{table} set _source_line = rowid - {first_rowid} + {1 + header_lines} "
        f"where rowid >= {first_rowid}"
    )
    if fmt == "csv":
        _correct_lines_of_multiline_records(connection, path, relative, table)


def prepare_table(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    """Give a raw table the transient column that carries each row's validation errors."""
    connection.execute(f"alter table raw.{table} add column {ERRORS_COLUMN} varchar")


def settle_rejects(
    connection: duckdb.DuckDBPyConnection, spec: TableSpec
) -> dict[str, tuple[int, int]]:
    """Move rows with errors to `raw.rejects`; return (rows read, rows loaded) per file.

    Runs once per table, after all its files are inserted (rowids are still in file order).
    """
    table = spec.table
    if spec.unique_key:
        key = _ident(spec.unique_key)
        duplicate = _reject_sql(
            spec.unique_key, "duplicate key: an earlier row has the same value", key
        )
        connection.execute(
            f"update raw.{table} set {ERRORS_COLUMN} = "
            f"concat_ws({_ENTRY_SEPARATOR}, {ERRORS_COLUMN}, {duplicate}) "
            f"where rowid in (select rowid from (select rowid, row_number() over "
            f"(partition by {key} order by rowid) as n from raw.{table} where {key} is not null) "
            "where n > 1)"
        )
    counts = connection.execute(
        f"select _source_file, count(*), count(*) filter (where {ERRORS_COLUMN} is null) "
        f"from raw.{table} group by _source_file"
    ).fetchall()
    # The value is all that follows the second separator: it may itself hold one.
    connection.execute(
        "insert into raw.rejects "
        "select _source_file, _source_line, column_name, "
        f"case when len(string_split(entry, {_FIELD_SEPARATOR})) > 2 "
        "then substr(entry, length(column_name) + length(reason) + 3) end, reason "
        f"from (select *, split_part(entry, {_FIELD_SEPARATOR}, 1) as column_name, "
        f"split_part(entry, {_FIELD_SEPARATOR}, 2) as reason from ("
        f"select _source_file, _source_line, "
        f"unnest(string_split({ERRORS_COLUMN}, {_ENTRY_SEPARATOR})) as entry "
        f"from raw.{table} where {ERRORS_COLUMN} is not null)) "
        "order by _source_file, _source_line"
    )
    connection.execute(f"delete from raw.{table} where {ERRORS_COLUMN} is not null")
    connection.execute(f"alter table raw.{table} drop column {ERRORS_COLUMN}")
    return {str(file): (int(read), int(loaded)) for file, read, loaded in counts}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _validation_sql(
    spec: TableSpec, types: dict[str, str], target: LoadTarget
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []  # (condition, the reject it makes)
    values: list[tuple[str, str]] = []
    for column in spec.columns:
        raw = _ident(column.name) if column.name in types else "null::varchar"
        shown = None if column.name == "record_id" else raw
        if column.required:
            errors.append((f"{raw} is null", _reject_sql(column.name, "required value missing")))
        value, bad = (
            _native_value_sql(column, raw, types[column.name])
            if _is_native(column, types.get(column.name, "VARCHAR"))
            else _value_sql(column, raw, target.data_subjects)
        )
        errors.append(
            (f"({raw} is not null and {bad})", _reject_sql(column.name, _reason(column), shown))
        )
        if column.name in FALSE_WHEN_EMPTY:
            value = f"coalesce({value}, false)"
        values.append((column.name, value))
    return errors, values


def _reject_sql(column_name: str, reason: str, value_sql: str | None = None) -> str:
    """One reject entry of `_errors`; the value is cut short and loses any record separator."""
    entry = f"{_quote(column_name)} || {_FIELD_SEPARATOR} || {_quote(reason)}"
    if value_sql is None:
        return entry
    value = f"left(cast({value_sql} as varchar), {_REJECT_VALUE_LIMIT})"
    value = f"replace({value}, {_ENTRY_SEPARATOR}, '\ufffd')"
    return f"{entry} || coalesce({_FIELD_SEPARATOR} || {value}, '')"


def _errors_sql(errors: list[tuple[str, str]]) -> str:
    """Null for a good row; its reject entries otherwise (built only for bad rows)."""
    any_bad = " or ".join(condition for condition, _ in errors)
    each = ", ".join(f"case when {condition} then {reject} end" for condition, reject in errors)
    return f"case when {any_bad} then concat_ws({_ENTRY_SEPARATOR}, {each}) end"


def _correct_lines_of_multiline_records(
    connection: duckdb.DuckDBPyConnection, path: Path, relative: str, table: str
) -> None:
    """Row n starts on line n + 1, unless quoted fields span lines: only then is the file read
    once more, by Python's csv module, to find where each record starts."""
    [(row_count,)] = connection.execute(
        f"select count(*) from raw.{table} where _source_file = ?", [relative]
    ).fetchall()
    if _count_lines(path) <= row_count + 1:
        return
    starts = _csv_record_start_lines(path)
    connection.execute("create or replace temp table _load_lines (_row bigint, _line bigint)")
    connection.executemany(
        "insert into _load_lines values (?, ?)", list(enumerate(starts, start=1))
    )
    # Loaded rows still carry row + 1 in _source_line: map that to the record's first line.
    connection.execute(
        f"update raw.{table} set _source_line = l._line from _load_lines l "
        f"where raw.{table}._source_file = ? and raw.{table}._source_line = l._row + 1",
        [relative],
    )
    connection.execute("drop table _load_lines")


def _count_lines(path: Path) -> int:
    lines = 0
    last = b"\n"
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 24):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (0 if last == b"\n" else 1)


def _csv_record_start_lines(path: Path) -> list[int]:
    starts: list[int] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        line_before = reader.line_num
        for _ in reader:
            starts.append(line_before + 1)
            line_before = reader.line_num
    return starts
