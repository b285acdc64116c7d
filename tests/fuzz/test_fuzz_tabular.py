"""Hostile tabular files of every kind through the real loader (issue 15, item 2).

A well-formed file whose header has every required column must load, its bad values
rejected row by row; one without a required column must fail naming that file; whatever
happens, every row is counted and no record id leaks.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.load.tabular_specs import (
    COOKIES,
    CUSTOMERS,
    PRIVACY_REQUESTS,
    RECORDS,
    VENDORS,
    TableSpec,
)
from tests.fuzz.invariant import check_load, minimal_drop_copy
from tests.fuzz.strategies import TabularFile, csv_files, id_core, jsonl_files, parquet_files

pytestmark = pytest.mark.fuzz

FUZZ = settings(max_examples=10)  # the profile in conftest.py: deterministic, no shrinking
FUZZ_EACH_KIND = settings(max_examples=8)  # five kinds of CSV
NEW_RECORD_FILE = "records/portal/fuzz.{}"


def _check(relative: str, generated: TabularFile) -> None:
    with minimal_drop_copy() as drop:
        (drop / relative).write_bytes(generated.content)
        header = generated.header
        check_load(
            drop,
            {relative: generated.rows},
            [id_core(i) for i in generated.record_ids],
            must_publish=header.missing_required is None and header.clean,
            must_fail_on=relative if header.missing_required is not None else None,
        )


@pytest.mark.parametrize(
    ("relative", "spec"),
    [
        ("vendors.csv", VENDORS),
        ("customers.csv", CUSTOMERS),
        ("privacy_requests.csv", PRIVACY_REQUESTS),
        ("cookies.csv", COOKIES),
        (NEW_RECORD_FILE.format("csv"), RECORDS),
    ],
)
@FUZZ_EACH_KIND
@given(data=st.data())
def test_csv_file(relative: str, spec: TableSpec, data: st.DataObject) -> None:
    _check(relative, data.draw(csv_files(spec)))


@FUZZ
@given(generated=jsonl_files(RECORDS))
def test_jsonl_record_file(generated: TabularFile) -> None:
    _check(NEW_RECORD_FILE.format("jsonl"), generated)


@FUZZ
@given(generated=parquet_files(RECORDS))
def test_parquet_record_file(generated: TabularFile) -> None:
    _check(NEW_RECORD_FILE.format("parquet"), generated)
