"""Each Great Expectations suite fails on a bad frame and passes on a good one."""

from __future__ import annotations

import pandas as pd
import pytest

from expectations.suites import check_suite, load_balance_suite, required_nulls_suite
from expectations.validation import validate


def test_check_suite_fails_when_a_subject_fails() -> None:
    suite = check_suite("records.child", "error")
    bad = pd.DataFrame({"system": ["chat"], "failing_count": [2], "message": ["2 records"]})
    result = validate(suite, bad)
    assert not result.success
    assert result.results[0].expectation_config is not None
    assert result.results[0].expectation_config.meta == {
        "check": "records.child",
        "severity": "error",
    }
    assert validate(suite, bad.iloc[0:0]).success


@pytest.mark.parametrize(
    ("rows_read", "rows_accounted", "rows_rejected", "rejected_lines", "passes"),
    [
        (10, 10, 1, 1, True),
        (10, 9, 1, 1, False),  # a row neither loaded nor rejected
        (10, 10, 2, 1, False),  # a rejected row missing from rejects
    ],
)
def test_load_balance_suite(
    rows_read: int, rows_accounted: int, rows_rejected: int, rejected_lines: int, passes: bool
) -> None:
    frame = pd.DataFrame(
        {
            "source_file": ["records/chat/a.csv", "vendors.csv"],
            "rows_read": [rows_read, 3],
            "rows_accounted": [rows_accounted, 3],
            "rows_rejected": [rows_rejected, 0],
            "rejected_lines": [rejected_lines, 0],
        }
    )
    assert validate(load_balance_suite(), frame).success is passes


def test_required_nulls_suite_fails_on_any_null() -> None:
    good = pd.DataFrame(
        {
            "table_name": ["stg_drop__records", "stg_drop__records"],
            "column_name": ["record_key", "created_at"],
            "null_count": [0, 0],
        }
    )
    assert validate(required_nulls_suite(), good).success
    bad = good.assign(null_count=[0, 3])
    assert not validate(required_nulls_suite(), bad).success
