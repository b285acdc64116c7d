"""ropa.xlsx through openpyxl: sheets, the ICO headings in order, one row per mart row."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult

pytestmark = pytest.mark.slow

# Typed from outputs.md on purpose, not imported: the test holds the code to the spec.
ICO_HEADINGS = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Link to contract with processor",
    "Names of third countries or international organisations that personal data are "
    "transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or "
    "international organisations (if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
    "Article 6 lawful basis for processing personal data",
    "Article 9 basis for processing special category personal data",
    "Legitimate interests for the processing (if applicable)",
    "Link to record of legitimate interests assessment (if applicable)",
    "Rights available to individuals",
    "Existence of automated decision-making, including profiling (if applicable)",
    "The source of the personal data (if applicable)",
    "Link to record of consent",
    "Location of personal data",
    "Data Protection Impact Assessment required?",
    "Data Protection Impact Assessment progress",
    "Link to Data Protection Impact Assessment",
    "Personal data breach?",
    "Link to record of personal data breach",
]
MART_OF_SHEET = {
    "Controller": "marts.ropa_controller",
    "Processor": "marts.ropa_processor",
    "Recipients": "marts.recipients",
    "Transfers": "marts.transfers",
    "Retention schedule": "marts.retention_schedule",
}


def _header_row(sheet: Worksheet) -> int:
    """The frozen pane starts right below the table's headings."""
    assert sheet.freeze_panes is not None
    return int(sheet[sheet.freeze_panes].row) - 1


def _data_rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    rows = sheet.iter_rows(min_row=_header_row(sheet) + 1, values_only=True)
    return [row for row in rows if any(value is not None for value in row)]


def test_sheets_in_order(demo_pack: PackResult, internal_pack: PackResult) -> None:
    workbook = load_workbook(demo_pack.path / "ropa.xlsx")
    assert workbook.sheetnames == [*MART_OF_SHEET, "Notes"]
    internal = load_workbook(internal_pack.path / "ropa.xlsx")
    assert internal.sheetnames == [*MART_OF_SHEET, "Findings", "Notes"]


def test_internal_controller_sheet_adds_the_keys_and_the_evidence(
    internal_pack: PackResult,
) -> None:
    sheet = load_workbook(internal_pack.path / "ropa.xlsx")["Controller"]
    header = [cell.value for cell in sheet[_header_row(sheet)]]
    assert header[: len(ICO_HEADINGS)] == ICO_HEADINGS
    assert header[len(ICO_HEADINGS) :] == [
        "Activity key",
        "System key",
        "Purpose key",
        "Data subject keys",
        "Personal data category keys",
        "Records held",
        "Records past their retention deadline",
        "Open audit findings",
        "Source files",
        "Loaded at (UTC)",
    ]


def test_every_sheet_prints_landscape_fit_to_width_with_headers_repeated(
    demo_pack: PackResult,
) -> None:
    workbook = load_workbook(demo_pack.path / "ropa.xlsx")
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        if sheet.title != "Notes":
            row = _header_row(sheet)
            assert str(sheet.print_title_rows).replace("$", "") == f"{row}:{row}", sheet.title
        widths = [dimension.width for dimension in sheet.column_dimensions.values()]
        assert widths and all(8 <= width <= 100 for width in widths), sheet.title
        for row in sheet.iter_rows(min_row=_header_row(sheet) if sheet.freeze_panes else 1):
            assert all(cell.alignment.wrap_text for cell in row if cell.value is not None)


def test_notes_sheet_says_how_the_record_was_made(demo_pack: PackResult) -> None:
    notes = load_workbook(demo_pack.path / "ropa.xlsx")["Notes"]
    topics = {row[0]: row[1] for row in notes.iter_rows(values_only=True) if row[0]}
    assert topics["Pack id"] == demo_pack.pack_id
    assert topics["Evaluation date"].startswith("2026-11-29")
    assert "register" in topics["Sources"]
    assert "nothing is inferred or invented" in topics["Empty cells"]


def test_controller_sheet_has_the_ico_headings_in_order(demo_pack: PackResult) -> None:
    sheet = load_workbook(demo_pack.path / "ropa.xlsx")["Controller"]
    header = [cell.value for cell in sheet[_header_row(sheet)]]
    assert header == ICO_HEADINGS
    assert sheet.auto_filter.ref is not None
    assert sheet.auto_filter.ref.startswith(f"A{_header_row(sheet)}:")


def test_every_sheet_has_one_row_per_mart_row(demo_pack: PackResult, demo_warehouse: Path) -> None:
    workbook = load_workbook(demo_pack.path / "ropa.xlsx")
    with read_only_connection(demo_warehouse) as connection:
        expected = {
            sheet: connection.execute(f"select count(*) from {mart}").fetchone()[0]
            for sheet, mart in MART_OF_SHEET.items()
        }
    assert expected["Controller"] > 0 and expected["Processor"] > 0
    assert {name: len(_data_rows(workbook[name])) for name in MART_OF_SHEET} == expected


def test_contact_block_names_controller_dpo_and_representative(
    demo_pack: PackResult, demo_warehouse: Path
) -> None:
    sheet = load_workbook(demo_pack.path / "ropa.xlsx")["Controller"]
    block = [row for row in sheet.iter_rows(max_row=_header_row(sheet) - 1, values_only=True)]
    with read_only_connection(demo_warehouse) as connection:
        controller, dpo, representative = connection.execute(
            "select controller_name, dpo_name, representative_name from raw.organizations"
        ).fetchone()
    roles = {row[0]: row[1] for row in block if row and row[0]}
    assert roles["Controller"] == controller
    assert roles["Data protection officer"] == dpo
    assert roles["Representative"] == representative


def test_cells_the_register_cannot_fill_stay_empty(demo_pack: PackResult) -> None:
    sheet = load_workbook(demo_pack.path / "ropa.xlsx")["Controller"]
    never_in_register = [
        "Legitimate interests for the processing (if applicable)",
        "Link to record of consent",
        "Personal data breach?",
        "Link to record of personal data breach",
    ]
    # derived from the register (outputs.md): rights from the Art. 6 basis, the source from
    # ingress (else the data subjects themselves); ADM only where a system profiles
    always_filled = [
        "Categories of personal data",
        "Rights available to individuals",
        "The source of the personal data (if applicable)",
    ]
    rows = _data_rows(sheet)
    for row in rows:
        cells = dict(zip(ICO_HEADINGS, row, strict=False))
        assert all(cells[heading] is None for heading in never_in_register)
        assert all(cells[heading] for heading in always_filled)
    adm = "Existence of automated decision-making, including profiling (if applicable)"
    assert any(dict(zip(ICO_HEADINGS, row, strict=False))[adm] for row in rows)
