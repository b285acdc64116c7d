"""ropa.xlsx: the record as a workbook a DPO or a regulator can filter and print.

The "Controller" sheet follows the UK ICO controller template: the contact block on top, then one
row per activity under exactly the ICO headings. The other sheets are the register's own tables,
headed by the labels (`title`s) of ropa.schema.json.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pipelines.pack.ico import ICO_CONTROLLER_HEADINGS, ico_controller_row, yes_no
from pipelines.pack.record import (
    CONTACT_PARTS,
    Register,
    contact_rows,
    fields,
    is_own_contact,
)

CONTROLLER_SHEET = "Controller"
PROCESSOR_SHEET = "Processor"
# Sheet name → (ropa.json section, schema definition) for the sheets that list a mart as it is.
TABLE_SHEETS: dict[str, tuple[str, str]] = {
    "Recipients": ("recipients", "recipient"),
    "Transfers": ("transfers", "transfer"),
    "Retention schedule": ("retention_schedule", "retention_rule"),
}
SHEET_NAMES: tuple[str, ...] = (CONTROLLER_SHEET, PROCESSOR_SHEET, *TABLE_SHEETS)

_MIN_WIDTH, _MAX_WIDTH = 12, 48
_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
_HEADING_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_xlsx(register: Register, pack_id: str, path: Path) -> None:
    workbook = Workbook()
    controller = workbook.active
    assert controller is not None  # a new Workbook always has one sheet
    controller.title = CONTROLLER_SHEET
    _write_controller(controller, register, pack_id)
    _write_processor(workbook.create_sheet(PROCESSOR_SHEET), register, pack_id)
    for title, (section, definition) in TABLE_SHEETS.items():
        labels = fields(definition)
        rows = [[_cell(row[name]) for name in labels] for row in register.sections[section]]
        _write_table(workbook.create_sheet(title), 1, list(labels.values()), rows)
    workbook.save(path)


def _write_controller(sheet: Worksheet, register: Register, pack_id: str) -> None:
    header_row = _write_title_and_contacts(
        sheet,
        "Record of processing activities: controller (GDPR Art. 30(1))",
        register,
        pack_id,
        first_role="Controller",
    )
    rows = [ico_controller_row(activity) for activity in register.controller_activities]
    _write_table(sheet, header_row, list(ICO_CONTROLLER_HEADINGS), rows)


def _write_processor(sheet: Worksheet, register: Register, pack_id: str) -> None:
    header_row = _write_title_and_contacts(
        sheet,
        "Record of processing activities: processor (GDPR Art. 30(2))",
        register,
        pack_id,
        first_role="Processor",
    )
    labels = {
        name: label
        for name, label in fields("processor_activity").items()
        if not is_own_contact(name)
    }
    rows = [[_cell(row[name]) for name in labels] for row in register.processor_activities]
    _write_table(sheet, header_row, list(labels.values()), rows)


def _write_title_and_contacts(
    sheet: Worksheet, title: str, register: Register, pack_id: str, first_role: str
) -> int:
    """The title lines and the contact block; returns the row where the table's headings go."""
    organization = register.organization
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([f"{organization['name']} · evaluation date {register.as_of} · pack {pack_id}"])
    sheet.append([])
    sheet.append(["Name and contact details", *(label for label, _ in CONTACT_PARTS)])
    contact_heading_row = sheet.max_row
    for cell in sheet[contact_heading_row]:
        cell.font = _BOLD
        cell.fill = _HEADING_FILL
    contacts = contact_rows(organization)
    contacts[0][0] = first_role
    for contact in contacts:
        sheet.append(contact)
        for cell in sheet[sheet.max_row]:
            cell.alignment = _WRAP
        sheet.cell(sheet.max_row, 1).font = _BOLD
    sheet.append([])
    return sheet.max_row + 1


def _write_table(
    sheet: Worksheet, header_row: int, headings: list[str], rows: Sequence[Sequence[Any]]
) -> None:
    for column, heading in enumerate(headings, start=1):
        cell = sheet.cell(header_row, column, heading)
        cell.font = _BOLD
        cell.fill = _HEADING_FILL
        cell.alignment = _WRAP
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(header_row + offset, column, value).alignment = _WRAP
    last_column = get_column_letter(len(headings))
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(len(rows), 1)}"
    for column, heading in enumerate(headings, start=1):
        longest = max([len(heading) // 2, *(_longest_line(values[column - 1]) for values in rows)])
        width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = width


def _longest_line(value: Any) -> int:
    return max((len(line) for line in str(value).splitlines()), default=0) if value else 0


def _cell(value: Any) -> Any:
    return yes_no(value) if isinstance(value, bool) else value
