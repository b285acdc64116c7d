"""Typed loading of CSV, JSON Lines and Parquet files with DuckDB's readers.

Every cell is validated in SQL; a row with a bad value goes to `raw.rejects` (file, line,
column, value, reason) and the rest loads, so every input row is either loaded or rejected.
A file that cannot be parsed or lacks a required column raises `DropError`, in our words:
DuckDB's messages quote the offending line, which may hold a record id, so where DuckDB
refuses a file, `text_files` finds the line. Paths and values from the drop reach SQL only as
parameters.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import duckdb
import pyarrow as pa

from pipelines.load import text_files
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
# DuckDB's errors that are not about the file read: they pass unchanged. Any other is the
# file's (a damaged Parquet footer, say, surfaces as the base Error: Thrift's "Invalid data").
_NOT_THE_FILES_FAULT = (
    duckdb.OutOfMemoryException, duckdb.InterruptException, duckdb.FatalException,
    duckdb.InternalException,
)  # fmt: skip
# exports.md's timestamps are ISO 8601: years 0001-9999, here of the UTC value.
_YEARS = ("0001-01-01 00:00:00", "9999-12-31 23:59:59.999999")
_NESTED_TYPES = ("STRUCT", "MAP", "UNION")
_INTEGER_MAX = 2**31 - 1  # the raw tables' INTEGER
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
    extra_values: dict[str, str]  # raw column -> the value of every row (e.g. the system_key)
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


@contextlib.contextmanager
def _literal_path(path: Path) -> Iterator[str]:
    """A path DuckDB's readers take as this one file. They read `*`, `?` and `[` as a glob
    pattern (`lead*.csv` would also read leads.csv) and `\\` as its escape, so a path holding
    one is read through a link of a plain name."""
    absolute = os.path.abspath(path)
    if not any(character in absolute for character in "*?[\\"):
        yield absolute
        return
    with tempfile.TemporaryDirectory(prefix="ropa-load-") as folder:
        alias = Path(folder) / f"file{path.suffix.lower()}"
        alias.symlink_to(absolute)
        yield str(alias)


def _reader_sql(fmt: str, *, columns: bool, strict: bool = True) -> str:
    """The reader of a file at `$path`; with `columns`, the columns read are `$columns`."""
    if fmt == "csv":  # exports.md's dialect, never sniffed; the header names come from Python
        return (
            "read_csv($path, header = true, auto_detect = false, columns = $columns, "
            f"delim = ',', quote = '\"', escape = '\"', strict_mode = {str(strict).lower()}, "
            f"max_line_size = {text_files.MAX_LINE_BYTES})"
        )
    if fmt == "jsonl":
        given = ", columns = $columns" if columns else ""
        return (
            f"read_json($path, format = 'newline_delimited'{given}, "
            f"maximum_object_size = {text_files.MAX_LINE_BYTES})"
        )
    return "read_parquet($path, file_row_number = true)" if columns else "read_parquet($path)"


def _fetched(
    connection: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, object]
) -> list[tuple[object, ...]] | None:
    """The statement's rows, or None where DuckDB refuses to read the file. None, not an
    exception: the DropError raised instead must not carry DuckDB's message as its context."""
    try:
        return connection.execute(sql, parameters).fetchall()
    except duckdb.Error as error:
        if isinstance(error, _NOT_THE_FILES_FAULT):
            raise
        return None


def _source_types(
    connection: duckdb.DuckDBPyConnection, path: Path, location: str, fmt: str, relative: str
) -> dict[str, str]:
    """The file's columns and the types they are read as: Parquet is typed (exports.md), so
    its columns keep their own types; CSV and JSON Lines cells are read as text."""
    if fmt == "csv":
        names = text_files.csv_header(path, relative)
        # An unnamed column is read under a name of its own, and not used.
        return {name or f"_unnamed_{n}": "VARCHAR" for n, name in enumerate(names, start=1)}
    described = _fetched(
        connection, f"describe select * from {_reader_sql(fmt, columns=False)}", {"path": location}
    )
    if described is None:
        _raise_unreadable(path, relative, fmt)
    columns = {str(row[0]): str(row[1]) for row in described}
    return columns if fmt == "parquet" else dict.fromkeys(columns, "VARCHAR")


def _raise_unreadable(path: Path, relative: str, fmt: str) -> NoReturn:
    """Raise the DropError for a file DuckDB refused: the line where it breaks the contract,
    found by Python, or else the file as a whole."""
    if fmt == "jsonl":
        problem = text_files.jsonl_problem(path)
        if problem is not None:
            raise problem.error(relative)
        raise DropError(relative, "file", None, "cannot be read as JSON Lines (one object a line)")
    if fmt == "parquet":
        raise DropError(relative, "file", None, "not a readable Parquet file (truncated?)")
    raise DropError(relative, "file", None, "cannot be read as CSV (RFC 4180)")


def _check_columns(spec: TableSpec, types: dict[str, str], fmt: str, relative: str) -> None:
    missing = [c.name for c in spec.columns if c.required and c.name not in types]
    if missing:
        problem = "required column missing" if len(missing) == 1 else "required columns missing"
        if fmt == "csv" and len(types) == 1 and any(d in next(iter(types)) for d in ";\t|"):
            problem += ": the header does not split on ',' (exports.md's CSV is comma-separated)"
        where = text_files.HEADER_LOCATION if fmt == "csv" else "file"
        raise DropError(relative, where, ", ".join(missing), problem)
    for column in spec.columns:
        source_type = types.get(column.name, "VARCHAR")
        if source_type.startswith(_NESTED_TYPES) or source_type.endswith("]"):
            kind = source_type.split("(")[0] if "(" in source_type else "LIST"
            raise DropError(
                relative, "file", column.name,
                f"a {kind} column: exports.md's {column.kind} is one value a row",
            )  # fmt: skip


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


def _utc_timestamp_sql(zoned: str) -> str:
    """The UTC wall time of a `timestamptz`: from its instant, not through the session's time
    zone, which costs a calendar conversion per value."""
    return f"make_timestamp(epoch_us({zoned}))"


def _within_years(timestamp: str, *, zoned: bool) -> str:
    """Whether a timestamp lies in the years 0001-9999 (UTC): infinity and years past 9999 or
    before 0001, which DuckDB accepts, have no place in the record."""
    cast, zone = ("timestamptz", "+00") if zoned else ("timestamp", "")
    first, last = (f"{cast} '{bound}{zone}'" for bound in _YEARS)
    return f"{timestamp} between {first} and {last}"


def _native_value_sql(column: Column, raw: str, source_type: str) -> tuple[str, str]:
    """(value, "is bad") for a Parquet column already of the contract's type."""
    if column.kind == "timestamp":
        if source_type == "TIMESTAMP WITH TIME ZONE":
            return _utc_timestamp_sql(raw), f"not ({_within_years(raw, zoned=True)})"
        value = f"cast({raw} as timestamp)"
        return value, f"not ({_within_years(value, zoned=False)})"
    if column.kind == "integer":
        return _integer_sql(column, raw)
    return raw, "false"


def _integer_sql(column: Column, raw: str) -> tuple[str, str]:
    """(value, "is bad") of a whole number, which must fit the raw table's INTEGER."""
    value = f"try_cast({raw} as integer)"
    below = f" or {value} < {column.minimum}" if column.minimum is not None else ""
    return value, f"({value} is null{below})"


def _value_sql(column: Column, raw: str) -> tuple[str, str]:
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
        # It starts with its year: DuckDB's words such as 'epoch' are not ISO 8601.
        value = f"try_cast({raw} as timestamptz)"
        starts_with_year = f"ascii({raw}) between 48 and 57"  # a digit
        bad = f"not coalesce({starts_with_year} and {_within_years(value, zoned=True)}, false)"
        return _utc_timestamp_sql(value), bad
    if column.kind == "boolean":
        value = (
            f"case when lower({raw}) in ('true', '1', 'yes') then true "
            f"when lower({raw}) in ('false', '0', 'no') then false end"
        )
        return value, f"({value}) is null"
    if column.kind == "integer":
        return _integer_sql(column, raw)
    if column.kind == "data_subject":
        return raw, f"not list_contains($data_subjects, {raw})"
    # Text: any character but NUL, which no export means and later tools may cut text at.
    return raw, f"contains({raw}, chr(0))"


def _reason(column: Column) -> str:
    reasons = {
        "key": f"not a key ({KEY_PATTERN})",
        "enum": f"not one of {', '.join(column.choices)}",
        "country": "not an ISO 3166-1 alpha-2 country code",
        "date": "not a date YYYY-MM-DD",
        "timestamp": "not an ISO 8601 timestamp (years 0001-9999 in UTC)",
        "boolean": "not a boolean (true/false, 1/0, yes/no)",
        "integer": "not a whole number"
        + (f" from {column.minimum}" if column.minimum is not None else "")
        + f" up to {_INTEGER_MAX}",
        "data_subject": "unknown data subject (not in the taxonomy)",
        "text": "contains a NUL character (U+0000)",
    }
    return reasons[column.kind]


def load_file(
    connection: duckdb.DuckDBPyConnection, path: Path, relative: str, target: LoadTarget
) -> None:
    """Insert every row of the file, typed, into its raw table with the row's `_errors`.

    Rows are read once and written once; `settle_rejects` then moves the rows with errors to
    `raw.rejects`. (Staging the file in a temporary table first cost a whole extra copy.)
    """
    fmt = file_format(path, relative)
    spec = target.spec
    with _literal_path(path) as location:
        types = _source_types(connection, path, location, fmt, relative)
        if fmt == "jsonl" and any(c.required and c.name not in types for c in spec.columns):
            # DuckDB reads a file of blank lines, or of lines that are no objects, as one column.
            if not text_files.has_content(path):
                return  # no records
            problem = text_files.jsonl_problem(path)
            if problem is not None:
                raise problem.error(relative)
        _check_columns(spec, types, fmt, relative)
        read_columns = [c for c in spec.columns if c.name in types]
        # JSON Lines text is read as JSON, so that an object or a list is told from a string.
        nested = {c.name for c in read_columns if fmt == "jsonl" and c.kind == "text"}
        parameters: dict[str, object] = {"path": location, "source_file": relative}
        if fmt != "parquet":
            parameters["columns"] = types if fmt == "csv" else {
                c.name: "JSON" if c.name in nested else "VARCHAR" for c in read_columns
            }  # fmt: skip
        if any(c.kind == "data_subject" for c in spec.columns):
            parameters["data_subjects"] = sorted(target.data_subjects)
        parameters |= {f"extra_{n}": value for n, value in enumerate(target.extra_values.values())}
        selected, cleaned = _select_sql(spec, types, read_columns, nested, target, fmt)

        def insert(strict: bool) -> list[tuple[object, ...]] | None:
            reader = _reader_sql(fmt, columns=True, strict=strict)
            sql = (
                f"insert into raw.{spec.table} by name select {selected} "
                f"from (select {cleaned} from {reader})"
            )
            return _fetched(connection, sql, parameters)

        # Inserts keep the file's order, so the rows of this file take the next rowids;
        # numbering rows in the query itself would force the whole load onto one thread.
        [(first_rowid,)] = connection.execute(f"select count(*) from raw.{spec.table}").fetchall()
        if insert(strict=True) is None:
            if fmt != "csv":
                _raise_unreadable(path, relative, fmt)
            _insert_sound_csv(path, relative, len(types), lambda: insert(strict=False))
    if fmt != "parquet":
        _number_text_lines(connection, path, relative, fmt, spec.table, first_rowid)


def _select_sql(
    spec: TableSpec,
    types: dict[str, str],
    read_columns: list[Column],
    nested: set[str],
    target: LoadTarget,
    fmt: str,
) -> tuple[str, str]:
    """The outer select list (the raw table's columns) and the inner one (the file's cells,
    cleaned) of a file's insert."""
    cleaned: list[str] = []
    for column in read_columns:
        name = _ident(column.name)
        if _is_native(column, types[column.name]):
            cleaned.append(name)
        elif column.name in nested:
            scalar = f"{name} ->> '$'"  # a string without its quotes, other values as JSON
            cleaned.append(f"{_cleaned_text_sql(scalar)} as {name}")
            cleaned.append(f"json_type({name}) in ('OBJECT', 'ARRAY') as {_nested_ident(column)}")
        else:
            cleaned.append(f"{_cleaned_text_sql(name)} as {name}")
    errors, values = _validation_sql(spec, types, nested)
    selected = [f"{value} as {_ident(name)}" for name, value in values if name != "record_id"]
    selected += [f"$extra_{n} as {_ident(name)}" for n, name in enumerate(target.extra_values)]
    if target.record_id_sql is not None:
        selected.append(f"{target.record_id_sql.format(column='record_id')} as record_key")
    selected += ["$source_file as _source_file", f"{_errors_sql(errors)} as {ERRORS_COLUMN}"]
    if fmt == "parquet":  # the reader numbers rows itself, in parallel
        cleaned.append("file_row_number + 1 as _source_line")
        selected.append("_source_line")
    return ", ".join(selected), ", ".join(cleaned)


def _insert_sound_csv(
    path: Path,
    relative: str,
    width: int,
    lenient_insert: Callable[[], list[tuple[object, ...]] | None],
) -> None:
    """Insert a CSV file that DuckDB's strict mode refused, or raise the error naming its line.

    Strict mode also refuses a file whose line endings change from line to line; where Python
    reads the file as sound RFC 4180 with every record as wide as the header, DuckDB's lenient
    mode reads it, and the count of rows proves that nothing was lost or split."""
    problem, records = text_files.csv_problem(path, width)
    if problem is not None:
        raise problem.error(relative)
    inserted = lenient_insert()
    if inserted is None or inserted != [(records,)]:
        raise DropError(relative, "file", None, "cannot be read as CSV (RFC 4180)")


def _nested_ident(column: Column) -> str:
    return _ident(f"{column.name} is nested")


def _number_text_lines(
    connection: duckdb.DuckDBPyConnection,
    path: Path,
    relative: str,
    fmt: str,
    table: str,
    first_rowid: int,
) -> None:
    """Set `_source_line` of a CSV or JSON Lines file's rows, which took the rowids from
    `first_rowid` on in file order: row n is on line n (after the header), unless blank lines
    or quoted fields over several lines part records and lines; only then is the file read
    once more, by Python, to find the line each record starts on."""
    header_lines = 1 if fmt == "csv" else 0
    connection.execute(
        f"update raw.{table} set _source_line = rowid - {first_rowid} + {1 + header_lines} "
        f"where rowid >= {first_rowid}"
    )
    [(row_count,)] = connection.execute(
        f"select count(*) from raw.{table} where rowid >= {first_rowid}"
    ).fetchall()
    if text_files.lines_up_to_content_end(path) <= row_count + header_lines:
        return
    starts = (
        text_files.csv_record_start_lines(path)
        if fmt == "csv"
        else text_files.jsonl_record_lines(path)
    )
    lines = pa.table(
        {
            "_row": pa.array(range(1, len(starts) + 1), pa.int64()),
            "_line": pa.array(starts, pa.int64()),
        }
    )
    connection.register("_load_lines", lines)
    # The rows still carry row + header lines in _source_line: map that to the record's line.
    connection.execute(
        f"update raw.{table} set _source_line = l._line from _load_lines l "
        f"where raw.{table}.rowid >= {first_rowid} "
        f"and raw.{table}._source_line = l._row + {header_lines}"
    )
    connection.unregister("_load_lines")


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
    spec: TableSpec, types: dict[str, str], nested: set[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    errors: list[tuple[str, str]] = []  # (condition, the reject it makes)
    values: list[tuple[str, str]] = []
    for column in spec.columns:
        raw = _ident(column.name) if column.name in types else "null::varchar"
        shown = None if column.name == "record_id" else raw
        if column.required:
            errors.append((f"{raw} is null", _reject_sql(column.name, "required value missing")))
        if column.name in nested:
            reason = "an object or a list, not a single value"
            errors.append((_nested_ident(column), _reject_sql(column.name, reason, shown)))
        value, bad = (
            _native_value_sql(column, raw, types[column.name])
            if _is_native(column, types.get(column.name, "VARCHAR"))
            else _value_sql(column, raw)
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
    value = f"replace(replace({value}, {_ENTRY_SEPARATOR}, '\ufffd'), chr(0), '\ufffd')"
    return f"{entry} || coalesce({_FIELD_SEPARATOR} || {value}, '')"


def _errors_sql(errors: list[tuple[str, str]]) -> str:
    """Null for a good row; its reject entries otherwise (built only for bad rows)."""
    any_bad = " or ".join(condition for condition, _ in errors)
    each = ", ".join(f"case when {condition} then {reject} end" for condition, reject in errors)
    return f"case when {any_bad} then concat_ws({_ENTRY_SEPARATOR}, {each}) end"
