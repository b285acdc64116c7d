"""Python's own reading of one CSV or JSON Lines file, for what DuckDB's readers do not say.

Cheap on every file: the CSV header (its first lines only). Only where lines and records part
(blank lines, quoted fields over several lines): where each record starts. Only after DuckDB
has refused a file: one pass to find the line that breaks the contract, so the error names it
in our words; DuckDB's own messages quote the line, which may hold a record id.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipelines.load.errors import DropError

# The longest CSV record or JSON Lines line read (DuckDB's max_line_size and
# maximum_object_size); docs/architecture.md "How cells are read".
MAX_LINE_BYTES = 64 * 1024 * 1024
_LIMIT_WORDS = f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MB, the longest line read"
NOT_UTF8 = "not UTF-8 text (exports.md): save the file as UTF-8"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BLANK = b" \t\r\n"  # what a blank line holds (JSON's whitespace)
HEADER_LOCATION = "line 1 (header)"


@dataclass(frozen=True)
class LineProblem:
    """Where a file breaks the contract: its physical line (1 = the first), field, what."""

    line: int
    field: str | None
    problem: str

    def error(self, relative: str) -> DropError:
        return DropError(relative, f"line {self.line}", self.field, self.problem)


@contextlib.contextmanager
def _fields_up_to_the_limit() -> Iterator[None]:
    """Python's csv module refuses fields over 128 KiB; DuckDB reads up to the limit."""
    previous = csv.field_size_limit(MAX_LINE_BYTES)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def csv_header(path: Path, relative: str) -> list[str]:
    """The names in the header row, read from the file's first lines only."""
    with path.open("rb") as handle:
        if handle.read(2) in _UTF16_BOMS:
            raise DropError(
                relative, "file", None, f"UTF-16 (its byte-order mark says so), {NOT_UTF8}"
            )
        handle.seek(0)
        header = b""
        while len(header) <= MAX_LINE_BYTES:  # read no further than the limit
            line = handle.readline(MAX_LINE_BYTES + 1 - len(header))
            header += line
            # A quoted name may hold a line break: the header ends where its quotes close.
            if not line or (line.endswith(b"\n") and header.count(b'"') % 2 == 0):
                break
    if not header:
        raise DropError(relative, "file", None, "empty: exports.md's CSV starts with a header row")
    if len(header) > MAX_LINE_BYTES:
        raise DropError(relative, HEADER_LOCATION, None, _LIMIT_WORDS)
    text = _utf8(header.removeprefix(codecs.BOM_UTF8))
    if text is None or "\x00" in text:
        raise DropError(relative, HEADER_LOCATION, None, NOT_UTF8)
    names = _header_names(text)
    if names is None:
        raise DropError(relative, HEADER_LOCATION, None, _quoting_problem(""))
    if not any(names):
        raise DropError(relative, HEADER_LOCATION, None, "the header row is empty")
    _check_unique(relative, names)
    return names


def _header_names(text: str) -> list[str] | None:
    """The header's names; None where its quoting breaks RFC 4180 (the csv module's words,
    which are not ours, are left behind with its exception)."""
    with _fields_up_to_the_limit():
        try:
            return next(csv.reader(io.StringIO(text, newline=""), strict=True), [])
        except csv.Error:
            return None


def _check_unique(relative: str, names: list[str]) -> None:
    seen: dict[str, str] = {}
    for name in names:
        if not name:
            continue  # an unnamed column is not read
        folded = name.lower()  # DuckDB tells column names apart without case
        if folded in seen:
            first = seen[folded]
            also = "" if first == name else f" (as '{first}' before)"
            raise DropError(relative, HEADER_LOCATION, name, f"the column name appears twice{also}")
        seen[folded] = name


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def lines_up_to_content_end(path: Path) -> int:
    """The number of the file's last line that is not blank (0 for a file of blank lines):
    blank lines at the end hold no record and move no record's line."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        end = size
        while end > 0:  # step back over the blank tail, a block at a time
            start = max(0, end - (1 << 16))
            handle.seek(start)
            block = handle.read(end - start)
            kept = block.rstrip(_BLANK)
            end = start + len(kept)
            if kept:
                break
        handle.seek(0)
        lines = 1 if end else 0
        remaining = end
        while remaining > 0:
            chunk = handle.read(min(1 << 24, remaining))
            remaining -= len(chunk)
            lines += chunk.count(b"\n")
    return lines


def csv_record_start_lines(path: Path) -> list[int]:
    """The physical line each record after the header starts on (blank lines are none)."""
    starts: list[int] = []
    with _fields_up_to_the_limit(), path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        next(reader, None)
        line_before = reader.line_num
        for row in reader:
            if row:
                starts.append(line_before + 1)
            line_before = reader.line_num
    return starts


def jsonl_record_lines(path: Path) -> list[int]:
    """The physical line of each JSON Lines record (blank lines are none)."""
    with path.open("rb") as handle:
        return [
            number
            for number, line in enumerate(handle, start=1)
            if line.removeprefix(codecs.BOM_UTF8).strip(_BLANK)
        ]


def has_content(path: Path) -> bool:
    """Whether a JSON Lines file holds anything but blank lines."""
    with path.open("rb") as handle:
        return any(line.removeprefix(codecs.BOM_UTF8).strip(_BLANK) for line in handle)


def csv_problem(path: Path, width: int) -> tuple[LineProblem | None, int]:
    """The first line of a CSV file that breaks RFC 4180 or its header's width, and how many
    records follow the header (sound only when there is no problem)."""
    number = _first_line_not_utf8(path)
    if number is not None:
        return LineProblem(number, None, NOT_UTF8), 0
    records = -1  # the header is the first record
    with _fields_up_to_the_limit(), path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        line_before = 0
        while True:
            start = line_before + 1
            try:
                row = next(reader, None)
            except csv.Error as error:
                return LineProblem(start, None, _quoting_problem(str(error))), records
            if row is None:
                return None, max(records, 0)
            line_before = reader.line_num
            if not row:
                continue  # a blank line is no record
            if len(row) != width:
                found = f"{len(row)} fields where the header has {width}"
                return LineProblem(start, None, found), records
            if _longer_than_the_limit(row):
                return LineProblem(start, None, _LIMIT_WORDS), records
            records += 1


def _longer_than_the_limit(row: list[str]) -> bool:
    # Counting bytes only where the characters come near the limit keeps the pass fast.
    characters = sum(map(len, row)) + len(row)
    return characters * 4 > MAX_LINE_BYTES and len(",".join(row).encode()) > MAX_LINE_BYTES


def _quoting_problem(csv_message: str) -> str:
    """Our words for the csv module's complaint (its own words are not shown)."""
    if "field larger than field limit" in csv_message:
        return _LIMIT_WORDS
    if "unexpected end of data" in csv_message:
        return "a quote opened on this line is never closed"
    return "a quote in a field breaks RFC 4180 (quote the whole field and double its quotes)"


def _first_line_not_utf8(path: Path) -> int | None:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if _utf8(line) is None:
                return number
    return None


class _Object(list[tuple[str, object]]):
    """A JSON object's pairs as written, so repeated keys can be seen."""


def jsonl_problem(path: Path) -> LineProblem | None:
    """The first line of a JSON Lines file that is not one JSON object."""
    decoder = json.JSONDecoder(object_pairs_hook=_Object)
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if len(line) > MAX_LINE_BYTES:
                return LineProblem(number, None, _LIMIT_WORDS)
            content = line.removeprefix(codecs.BOM_UTF8).strip(_BLANK)
            if not content:
                continue
            text = _utf8(content)
            if text is None:
                return LineProblem(number, None, NOT_UTF8)
            try:
                value = decoder.decode(text)
            except ValueError:
                return LineProblem(number, None, "not valid JSON")
            if not isinstance(value, _Object):
                return LineProblem(number, None, "not a JSON object (one object a line)")
            keys = [key for key, _ in value]
            twice = next((key for n, key in enumerate(keys) if key in keys[:n]), None)
            if twice is not None:
                return LineProblem(number, twice, "the key appears twice in the object")
    return None
