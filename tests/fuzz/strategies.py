"""Hypothesis strategies for hostile drops: cells, headers, CSV / JSON Lines / Parquet files.

Record ids are distinctive (`RID-` and 16 hex digits, sometimes with a hostile tail), so a
test can search every error and table for them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from pipelines.load.tabular_specs import Column, TableSpec

HOSTILE_PIECES = (
    "", " ", "\t", '"', '""', ",", "\r", "\n", "\r\n", "\x00", "\ufeff", "\u202e", "\u200f",
    "\u00a0", "é", "\U0001f600", "'", "\\", ";", "\x1e", "\x1f", "NULL", "null", "x" * 3000,
)  # fmt: skip
_VALID_BY_KIND: dict[str, tuple[str, ...]] = {
    "key": ("cloudhost", "hotel_co", "a", "a.b-c_1", "Hotel_Co", "-x", "a b"),
    "country": ("DE", "us", "CA", "ZZ", "DEU", "d"),
    "date": (
        "2024-01-10", "2024-02-29", "2023-02-29", "2024-13-01", "0001-01-01", "9999-12-31",
        "2024-1-1", "20240110", "2024-01-10T00:00:00", "-2024-01-10", "infinity",
    ),
    "timestamp": (
        "2026-01-01T10:00:00Z", "2026-01-01 10:00:00", "2026-01-01T10:00:00+02:00",
        "2026-01-01T10:00:00+14:00", "2026-01-01T10:00:00+25:00", "2026-01-01T10:00:00.123456789Z",
        "2026-01-01", "2026-02-30T00:00:00Z", "294247-01-10T04:00:54Z", "-2026-01-01T00:00:00",
        "1970-01-01T00:00:00-00:00", "2026-01-01T24:00:00Z", "infinity", "-infinity", "epoch",
        "2026-01-01T10:00:00 America/Toronto", "2026-W01-1",
    ),
    "boolean": ("true", "FALSE", "1", "0", "yes", "No", "maybe", "t", "2"),
    "integer": (
        "0", "34", "-4", "2147483647", "2147483648", "-2147483649", "9223372036854775807",
        "9223372036854775808", "1e3", "12.0", " 12 ", "0x10", "+5", "1_000", "\u0663",
    ),
    "data_subject": ("customer", "consumer", "alien", "Customer"),
    "text": ("Hotel Co", "dpo@cloudhost.test", "chat;portal", "a;;b; ;"),
}  # fmt: skip


def hostile_text(max_pieces: int = 4) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(max_size=6))
    return st.lists(piece, max_size=max_pieces).map("".join)


def record_ids() -> st.SearchStrategy[str]:
    """A distinctive record id; the `RID-<hex>` core is what tests search for."""
    core = st.integers(0, 2**64 - 1).map(lambda n: f"RID-{n:016x}")
    return st.tuples(core, st.one_of(st.just(""), hostile_text(2))).map("".join)


def id_core(record_id: str) -> str:
    return record_id[:20]


def cell(column: Column) -> st.SearchStrategy[str]:
    """Text for one cell: often valid for its kind, often hostile, sometimes both at once."""
    if column.name == "record_id":
        return record_ids()
    valid = st.sampled_from(_VALID_BY_KIND.get(column.kind, ()) + column.choices)
    upper = st.sampled_from(column.choices).map(str.upper) if column.choices else valid
    mixed = st.tuples(valid, hostile_text(2)).map("".join)
    return st.one_of(valid, valid, upper, hostile_text(), mixed)


@dataclass(frozen=True)
class Header:
    names: list[str]
    missing_required: str | None  # a required column the header lacks (exact name)
    clean: bool  # no duplicates (DuckDB compares column names without case)


@st.composite
def headers(draw: st.DrawFn, spec: TableSpec, without_required: bool = False) -> Header:
    """The spec's columns, then dropped (a required one always when `without_required`),
    duplicated, added, renamed in case, reordered."""
    names = [c.name for c in spec.columns]
    optional = [c.name for c in spec.columns if not c.required]
    names = [n for n in names if n not in draw(st.sets(st.sampled_from(optional)))]
    if without_required or draw(st.integers(0, 9)) == 0:
        names.remove(draw(st.sampled_from([c.name for c in spec.columns if c.required])))
    if draw(st.booleans()):
        names += draw(
            st.lists(st.sampled_from(["note", "Extra col", "", "a,b", '"q"']), max_size=2)
        )
    if draw(st.integers(0, 6)) == 0:
        names.append(draw(st.sampled_from(names or ["x"])))
    if draw(st.integers(0, 6)) == 0 and names:
        index = draw(st.integers(0, len(names) - 1))
        names[index] = names[index].upper()
    names = draw(st.permutations(names)) if draw(st.booleans()) else names
    lowered = [n.lower() for n in names]
    missing = next((c.name for c in spec.columns if c.required and c.name not in names), None)
    return Header(list(names), missing, len(set(lowered)) == len(lowered) and "" not in names)


@dataclass(frozen=True)
class TabularFile:
    content: bytes
    rows: int  # data rows written
    record_ids: list[str]
    header: Header

    def __repr__(self) -> str:  # a failing example's report: the start of a file is enough
        return f"TabularFile({self.content[:800]!r}, rows={self.rows}, header={self.header})"


def _rows(draw: st.DrawFn, spec: TableSpec, names: list[str]) -> list[dict[str, str]]:
    by_name = {c.name: c for c in spec.columns}
    count = draw(st.integers(0, 12))
    return [
        {name: draw(cell(by_name[name]) if name in by_name else hostile_text()) for name in names}
        for _ in range(count)
    ]


def _csv_field(text: str, quote_all: bool) -> str:
    if quote_all or any(c in text for c in ',"\r\n') or text != text.strip():
        return '"' + text.replace('"', '""') + '"'
    return text


@st.composite
def csv_files(draw: st.DrawFn, spec: TableSpec, without_required: bool = False) -> TabularFile:
    """A well-formed RFC 4180 file (UTF-8, optional BOM) with hostile header and cells."""
    header = draw(headers(spec, without_required))
    rows = _rows(draw, spec, header.names)
    line_end = draw(st.sampled_from(["\r\n", "\n"]))
    quote_all = draw(st.booleans())
    lines = [
        ",".join(_csv_field(text, quote_all) for text in line)
        for line in [header.names, *([row[n] for n in header.names] for row in rows)]
    ]
    # A record of one empty field would be an empty line: RFC 4180 quotes it.
    lines = [line if line else '""' for line in lines]
    text = line_end.join(lines) + (line_end if draw(st.booleans()) else "")
    bom = "\ufeff" if draw(st.booleans()) else ""
    ids = [row["record_id"] for row in rows if "record_id" in row]
    return TabularFile((bom + text).encode("utf-8"), len(rows), ids, header)


_JSON_EXTRAS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)  # fmt: skip


@st.composite
def jsonl_files(draw: st.DrawFn, spec: TableSpec, without_required: bool = False) -> TabularFile:
    """One JSON object a line: strings, numbers, booleans, nulls, arrays and objects as
    values, keys left out or added; blank lines between objects are not records."""
    header = draw(headers(spec, without_required))
    by_name = {c.name: c for c in spec.columns}
    objects: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(1, 10))):
        row: dict[str, Any] = {}
        for name in header.names:
            if draw(st.integers(0, 5)) == 0:
                continue  # a key left out of this object: its value is null
            if name != "record_id" and draw(st.integers(0, 4)) == 0:
                row[name] = draw(_JSON_EXTRAS)
            else:
                row[name] = draw(cell(by_name[name]) if name in by_name else hostile_text())
        objects.append(row)
    ascii_only = draw(st.booleans())
    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [json.dumps(o, ensure_ascii=ascii_only) + line_end for o in objects]
    text = "".join(line + (line_end if draw(st.integers(0, 5)) == 0 else "") for line in lines)
    present = {name for o in objects for name in o}
    missing = next((c.name for c in spec.columns if c.required and c.name not in present), None)
    ids = [o["record_id"] for o in objects if isinstance(o.get("record_id"), str)]
    keyed = Header(header.names, missing, header.clean)
    return TabularFile(text.encode("utf-8"), len(objects), ids, keyed)


_UTC = dt.UTC


def _arrow_column(draw: st.DrawFn, column: Column, count: int) -> pa.Array:
    """A column of one of the types an exporter might write for this field."""
    nullable = st.none() | st.just(0)

    def values(strategy: st.SearchStrategy[Any]) -> list[Any]:
        return [None if draw(nullable) is None else draw(strategy) for _ in range(count)]

    if column.name == "record_id":
        return pa.array([draw(record_ids()) for _ in range(count)], pa.string())
    instants = st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30))
    options = {
        "string": lambda: pa.array(values(cell(column)), pa.string()),
        "int64": lambda: pa.array(values(st.integers(-(2**63), 2**63 - 1)), pa.int64()),
        "int32": lambda: pa.array(values(st.integers(-(2**31), 2**31 - 1)), pa.int32()),
        "uint64": lambda: pa.array(values(st.integers(0, 2**64 - 1)), pa.uint64()),
        "float64": lambda: pa.array(values(st.floats()), pa.float64()),
        "bool": lambda: pa.array(values(st.booleans()), pa.bool_()),
        "timestamp": lambda: pa.array(values(instants), pa.timestamp("us")),
        "timestamptz": lambda: pa.array(
            values(instants.map(lambda t: t.replace(tzinfo=_UTC))), pa.timestamp("us", tz="UTC")
        ),
        "timestamp_ms_zoned": lambda: pa.array(
            values(instants.map(lambda t: t.replace(tzinfo=_UTC))),
            pa.timestamp("ms", tz="Pacific/Kiritimati"),
        ),
        "date": lambda: pa.array(values(st.dates()), pa.date32()),
        "null": lambda: pa.nulls(count),
    }
    return options[draw(st.sampled_from(sorted(options)))]()


@st.composite
def parquet_files(draw: st.DrawFn, spec: TableSpec) -> TabularFile:
    header = draw(headers(spec))
    names = list(dict.fromkeys(n for n in header.names if n))  # Parquet names are unique
    by_name = {c.name: c for c in spec.columns}
    count = draw(st.integers(0, 10))
    arrays = {
        name: _arrow_column(draw, by_name.get(name, Column(name, "text")), count) for name in names
    }
    buffer = io.BytesIO()
    pq.write_table(pa.table(arrays), buffer, row_group_size=draw(st.sampled_from([3, 1000])))
    ids = [str(v) for v in arrays["record_id"].to_pylist()] if "record_id" in arrays else []
    missing = next((c.name for c in spec.columns if c.required and c.name not in names), None)
    lowered = [n.lower() for n in names]
    return TabularFile(
        buffer.getvalue(), count, ids, Header(names, missing, len(set(lowered)) == len(lowered))
    )
