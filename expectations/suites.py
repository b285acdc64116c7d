"""The audit's Great Expectations suites, as plain functions of what they check.

GX's SQL datasource is broken over DuckDB (docs: shared notes), so every suite validates a pandas
DataFrame of a small table dbt built. GX is imported inside the functions (expectations/gx_import.py
says why).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from expectations.gx_import import import_great_expectations

if TYPE_CHECKING:
    from great_expectations import ExpectationSuite


def check_suite(check_name: str, severity: str) -> ExpectationSuite:
    """An audit check passes when its dbt model lists no failing subject."""
    import_great_expectations()
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx.ExpectationSuite(
        name=f"audit.{check_name}",
        expectations=[
            gxe.ExpectTableRowCountToEqual(
                value=0, meta={"check": check_name, "severity": severity}
            )
        ],
    )


def load_balance_suite() -> ExpectationSuite:
    """Every row of every tabular file is loaded or rejected, and every rejected row is listed."""
    import_great_expectations()
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx.ExpectationSuite(
        name="load.balance",
        expectations=[
            gxe.ExpectColumnPairValuesToBeEqual(column_A="rows_read", column_B="rows_accounted"),
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="rows_rejected", column_B="rejected_lines"
            ),
        ],
    )


def required_nulls_suite() -> ExpectationSuite:
    """No required column of a loaded table holds a null (the loader rejects such rows)."""
    import_great_expectations()
    import great_expectations as gx
    import great_expectations.expectations as gxe

    return gx.ExpectationSuite(
        name="load.required_not_null",
        expectations=[
            gxe.ExpectColumnValuesToBeBetween(column="null_count", min_value=0, max_value=0)
        ],
    )
