"""A drop whose names begin with `=`, `+`, `-`, `@`: no formula anywhere, the text as written.

Checked with openpyxl (no cell of type 'f'), in the CSVs (a leading `'`, OWASP), in the PDF
(markup escaped), and in a real spreadsheet: headless LibreOffice converts ropa.xlsx to one CSV
per sheet, showing each cell as it displays it.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipelines.pack import PackResult
from pipelines.pack.safe_text import csv_field, reads_as_formula
from tests.pack.conftest import (
    HOSTILE_CUSTOMER,
    HOSTILE_ORGANISATION,
    HOSTILE_SYSTEM,
    HOSTILE_VENDOR,
)
from tests.pack.pack_files import pdf_text, words
from tests.pack.test_workbook import ICO_HEADINGS

HOSTILE = (HOSTILE_VENDOR, HOSTILE_SYSTEM, HOSTILE_ORGANISATION, HOSTILE_CUSTOMER)
# LibreOffice's CSV filter: comma, double quote, UTF-8, from row 1, ..., cells as shown, and the
# 12th token -1: every sheet to its own file (LibreOffice 7.2+).
_CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


@pytest.mark.parametrize(
    ("value", "guarded"),
    [("=1+1", True), ("+1 555", True), ("-x", True), ("@a", True), ("\tx", True),
     ("\rx", True), ("a=b", False), ("", False), (3, False), (None, False)],
)  # fmt: skip
def test_reads_as_formula(value: object, guarded: bool) -> None:
    assert reads_as_formula(value) is guarded
    assert csv_field(value) == (f"'{value}" if guarded else value)


def _xlsx_files(pack: PackResult) -> list[Path]:
    return sorted(pack.path.rglob("*.xlsx"))


@pytest.mark.slow
def test_no_cell_of_any_workbook_is_a_formula(hostile_pack: PackResult) -> None:
    files = _xlsx_files(hostile_pack)
    assert len(files) >= 3  # ropa.xlsx and one per customer
    seen: set[str] = set()
    for path in files:
        for sheet in load_workbook(path).worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (path.name, sheet.title, cell.coordinate)
                    if isinstance(cell.value, str):
                        seen |= {name for name in HOSTILE if name in cell.value}
                        if reads_as_formula(cell.value):
                            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    assert seen == set(HOSTILE)


@pytest.mark.slow
def test_csv_fields_that_would_read_as_formulas_are_quoted(hostile_pack: PackResult) -> None:
    fields = []
    for name in ("controller.csv", "processor.csv"):
        with (hostile_pack.path / name).open(newline="", encoding="utf-8") as handle:
            fields += [field for row in csv.reader(handle) for field in row]
    assert not [field for field in fields if reads_as_formula(field)]
    assert f"'{HOSTILE_SYSTEM}" in fields and f"'{HOSTILE_CUSTOMER}" in fields


@pytest.mark.slow
def test_pdf_shows_the_names_as_text(hostile_pack: PackResult) -> None:
    text = words(pdf_text(hostile_pack.path / "ropa.pdf"))
    for name in HOSTILE:
        assert words(name) in text, name  # `<b>` shown, not bold; `&` shown as `&`


@pytest.mark.slow
@pytest.mark.office
def test_libreoffice_shows_every_sheet_heading_and_the_text_as_written(
    hostile_pack: PackResult, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: `make system-packages` installs libreoffice-calc"
    workbook = tmp_path / "ropa.xlsx"
    shutil.copy2(hostile_pack.path / "ropa.xlsx", workbook)
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", _CSV_FILTER, "--outdir", str(tmp_path / "csv"), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheets = {}
    for name in load_workbook(workbook).sheetnames:
        path = tmp_path / "csv" / f"ropa-{name}.csv"
        assert path.is_file(), f"LibreOffice wrote no sheet {name}"
        with path.open(newline="", encoding="utf-8") as handle:
            sheets[name] = [row for row in csv.reader(handle)]
    assert set(sheets) >= {"Controller", "Processor", "Recipients", "Transfers",
                           "Retention schedule", "Notes"}  # fmt: skip
    controller_cells = {cell for row in sheets["Controller"] for cell in row}
    assert set(ICO_HEADINGS) <= controller_cells
    cells = {cell for rows in sheets.values() for row in rows for cell in row}
    # Shown as written: a formula would show its result ("click", 3, 2) instead.
    assert HOSTILE_VENDOR in cells and HOSTILE_SYSTEM in cells and HOSTILE_CUSTOMER in cells
    assert any(cell.startswith(HOSTILE_ORGANISATION) for cell in cells)
    assert "click" not in cells
