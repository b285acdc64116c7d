"""ropa.xlsx: the record as a workbook a DPO or a regulator can filter and print.

The "Controller" sheet follows the UK ICO controller template: the contact block on top, then one
row per activity under exactly the ICO headings. The other sheets are the register's own tables,
headed by the labels (`title`s) of ropa.schema.json, then a Notes sheet on how the record was
made. Every sheet prints landscape, fit to width, with its header row repeated; every text cell
is an explicit text cell, so that no name from the register is ever read as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.pack.identity import PackIdentity
from pipelines.pack.record import CONTACT_PARTS, Register, Row, contact_rows
from pipelines.pack.safe_text import reads_as_formula
from pipelines.pack.tables import (
    CONTROLLER_SHEET,
    FINDINGS_SHEET,
    NOTES_SHEET,
    PROCESSOR_SHEET,
    SECTION_SHEETS,
    RecordTable,
    controller_table,
    customer_facts,
    findings_table,
    notes_rows,
    processor_contacts,
    processor_table,
    section_table,
)

SHEET_NAMES: tuple[str, ...] = (CONTROLLER_SHEET, PROCESSOR_SHEET, *SECTION_SHEETS, NOTES_SHEET)

_MIN_WIDTH, _MAX_WIDTH = 10, 32
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
_HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_xlsx(register: Register, identity: PackIdentity, path: Path) -> None:
    """The pack's workbook; the internal copy adds a Findings sheet before the Notes."""
    workbook = Workbook()
    controller = workbook.active
    assert controller is not None  # a new Workbook always has one sheet
    controller.title = CONTROLLER_SHEET
    header_row = _title_and_contacts(
        controller,
        "Record of processing activities: controller (GDPR Art. 30(1))",
        register,
        identity,
        _organisation_contacts(register, "Controller"),
    )
    _table(controller, header_row, controller_table(register))
    sheet = workbook.create_sheet(PROCESSOR_SHEET)
    header_row = _title_and_contacts(
        sheet,
        "Record of processing activities: processor (GDPR Art. 30(2))",
        register,
        identity,
        _organisation_contacts(register, "Processor"),
    )
    _table(sheet, header_row, processor_table(register, register.processor_activities))
    for title, (section, definition) in SECTION_SHEETS.items():
        _table(workbook.create_sheet(title), 1, section_table(register, section, definition))
    if register.findings is not None:
        _table(workbook.create_sheet(FINDINGS_SHEET), 1, findings_table(register.findings))
    _notes(workbook.create_sheet(NOTES_SHEET), register, identity)
    workbook.save(path)


def write_customer_xlsx(
    register: Register, identity: PackIdentity, rows: list[Row], path: Path
) -> None:
    """One customer's Art. 30(2) record: the processor's and the customer's contacts, then only
    the processing done on that customer's behalf."""
    customer = rows[0]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = PROCESSOR_SHEET
    header_row = _title_and_contacts(
        sheet,
        "Record of processing activities: processor (GDPR Art. 30(2))",
        register,
        identity,
        processor_contacts(customer),
        subtitle=f"Processing carried out on behalf of {customer.get('customer_name')}",
    )
    for label, value in customer_facts(register, customer):
        _put(sheet, header_row, 1, label).font = _BOLD
        _put(sheet, header_row, 2, value)
        header_row += 1
    _table(sheet, header_row + 1, processor_table(register, rows, for_one_customer=True))
    _notes(workbook.create_sheet(NOTES_SHEET), register, identity)
    workbook.save(path)


def _organisation_contacts(register: Register, first_role: str) -> list[list[Any]]:
    contacts = contact_rows(register.organization)
    contacts[0][0] = first_role
    return contacts


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Every cell of the pack is written here: text always as an explicit text cell (openpyxl
    would make `=...` a formula), with a quote prefix where it would read as one when edited."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if reads_as_formula(value):
            cell.quotePrefix = True
    cell.alignment = _WRAP
    return cell


def _title_and_contacts(
    sheet: Worksheet,
    title: str,
    register: Register,
    identity: PackIdentity,
    contacts: Sequence[Sequence[Any]],
    subtitle: str | None = None,
) -> int:
    """The title lines and the contact block; returns the next free row after a blank one."""
    _put(sheet, 1, 1, title).font = Font(bold=True, size=14)
    organization = register.organization
    _put(
        sheet,
        2,
        1,
        f"{organization['name']} · evaluation date {register.as_of} · pack {identity.pack_id}",
    )
    row = 3
    if subtitle:
        _put(sheet, row, 1, subtitle).font = _BOLD
        row += 1
    row += 1
    for column, heading in enumerate(
        ["Name and contact details", *(label for label, _ in CONTACT_PARTS)], start=1
    ):
        cell = _put(sheet, row, column, heading)
        cell.font = _BOLD
        cell.fill = _HEADING_FILL
    for contact in contacts:
        row += 1
        for column, value in enumerate(contact, start=1):
            _put(sheet, row, column, value)
        sheet.cell(row, 1).font = _BOLD
    return row + 2


def _table(sheet: Worksheet, header_row: int, table: RecordTable) -> None:
    headings, rows = table.headings, table.rows
    for column, heading in enumerate(headings, start=1):
        cell = _put(sheet, header_row, column, heading)
        cell.font = _BOLD
        cell.fill = _HEADING_FILL
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            _put(sheet, header_row + offset, column, value)
    last_column = get_column_letter(len(headings))
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(len(rows), 1)}"
    for column, heading in enumerate(headings, start=1):
        longest = max([len(heading) // 3, *(_longest_line(values[column - 1]) for values in rows)])
        width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = width
    _print_setup(sheet, f"{header_row}:{header_row}")


def _notes(sheet: Worksheet, register: Register, identity: PackIdentity) -> None:
    _put(sheet, 1, 1, "How this record was made").font = Font(bold=True, size=14)
    for row, (topic, note) in enumerate(notes_rows(register, identity), start=3):
        _put(sheet, row, 1, topic).font = _BOLD
        _put(sheet, row, 2, note)
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 100
    _print_setup(sheet, None)


def _print_setup(sheet: Worksheet, title_rows: str | None) -> None:
    """Landscape A4, one page wide (as many tall as needed), the heading row on every page, the
    sheet's name, the pack and the page number in the header and footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddHeader.center.text = "&A"
    sheet.oddFooter.right.text = "page &P of &N"


def _longest_line(value: Any) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0) if value else 0
