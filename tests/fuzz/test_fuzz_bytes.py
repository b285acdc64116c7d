"""Byte-level damage to a tabular file: truncation, flipped or inserted bytes, other encodings.

No count of rows is defined for a damaged file, so the invariant is checked without one: the
run fails naming the file, or every row read is loaded or rejected; no record id leaks.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.load.tabular_specs import CUSTOMERS, RECORDS, VENDORS
from tests.fuzz.invariant import check_load, minimal_drop_copy
from tests.fuzz.strategies import TabularFile, csv_files, id_core, jsonl_files, parquet_files

pytestmark = pytest.mark.fuzz

FUZZ = settings(max_examples=15)  # the profile in conftest.py: deterministic, no shrinking
_ENCODINGS = ("latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32")


@st.composite
def damaged(draw: st.DrawFn, content: bytes) -> bytes:
    how = draw(st.sampled_from(["truncate", "flip", "insert", "delete", "encode"]))
    if how == "encode":
        text = content.decode("utf-8", errors="replace") + "é"
        return text.encode(draw(st.sampled_from(_ENCODINGS)), errors="replace")
    if not content:
        return content
    at = draw(st.integers(0, len(content) - 1))
    if how == "truncate":
        return content[:at]
    if how == "flip":
        return content[:at] + bytes([content[at] ^ draw(st.integers(1, 255))]) + content[at + 1 :]
    if how == "insert":
        noise = draw(st.sampled_from([b'"', b"\x00", b"\r", b"\n", b",", b"\xff", b"\xc3", b"{"]))
        return content[:at] + noise + content[at:]
    return content[:at] + content[at + draw(st.integers(1, 16)) :]


_FILES = st.sampled_from(
    [
        ("vendors.csv", csv_files(VENDORS)),
        ("customers.csv", csv_files(CUSTOMERS)),
        ("records/portal/fuzz.csv", csv_files(RECORDS)),
        ("records/portal/fuzz.jsonl", jsonl_files(RECORDS)),
        ("records/portal/fuzz.parquet", parquet_files(RECORDS)),
    ]
)


@FUZZ
@given(data=st.data())
def test_damaged_file(data: st.DataObject) -> None:
    relative, files = data.draw(_FILES)
    generated: TabularFile = data.draw(files)
    content = data.draw(damaged(generated.content))
    with minimal_drop_copy() as drop:
        (drop / relative).write_bytes(content)
        check_load(drop, {relative: None}, [id_core(i) for i in generated.record_ids])
