"""Formula-safe text: no value from the register is ever read as a formula by a spreadsheet.

A name in the register is data the organisation did not necessarily write (a vendor's legal name,
a customer's): `=HYPERLINK("http://…","x")` in a cell would become a live formula in the
authority's Excel or LibreOffice (CSV or formula injection). Following the OWASP advice, text
that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written as text: in the
workbook as an explicit text cell with a quote prefix (`xlsx.py`), in the CSVs with a leading `'`
(`machine_readable.py`). ropa.json keeps the value as it is: JSON is not opened as a sheet.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def reads_as_formula(value: Any) -> bool:
    """Whether a spreadsheet could take this value for a formula: text beginning with a trigger."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def csv_field(value: Any) -> Any:
    """A CSV field that no spreadsheet evaluates: such text gets a leading `'`."""
    return f"'{value}" if reads_as_formula(value) else value
