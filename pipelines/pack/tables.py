"""The pack's tables, one definition for the workbook and the PDF, so both carry every column.

Each table is headings plus rows of display values (booleans as Yes/No, empty as None). The
Controller table is the ICO template's columns, then (internal copy only) the keys and the
evidence; the others are the schema's labels of one definition, as the audience sees it (the
regulator's without keys and codes: the per-customer grouping reads `customer_key` in memory).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pipelines.pack.ico import ICO_CONTROLLER_HEADINGS, ico_controller_row, yes_no
from pipelines.pack.identity import PackIdentity
from pipelines.pack.record import Register, Row, internal_columns, is_own_contact

Cell = Any

CONTROLLER_SHEET = "Controller"
PROCESSOR_SHEET = "Processor"
FINDINGS_SHEET = "Findings"
NOTES_SHEET = "Notes"
# Sheet name → (register section, schema definition) of the sheets that list one mart as it is.
SECTION_SHEETS: dict[str, tuple[str, str]] = {
    "Recipients": ("recipients", "recipient"),
    "Transfers": ("transfers", "transfer"),
    "Retention schedule": ("retention_schedule", "retention_rule"),
}
# The customer's own columns of a processor row: in a customer's record they form its contact
# block rather than repeat in every row.
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "customer_key",
    "customer_name",
    "customer_country",
    "customer_contact_email",
    "customer_status",
    "customer_dpa_signed_on",
    "customer_retention_days",
)


@dataclass(frozen=True)
class RecordTable:
    headings: list[str]
    rows: list[list[Cell]]


def display(value: Any) -> Cell:
    return yes_no(value) if isinstance(value, bool) else value


def controller_table(register: Register) -> RecordTable:
    """The ICO template's columns; the internal copy adds its keys and evidence after them."""
    evidence = [
        (name, label)
        for name, label in register.fields("controller_activity").items()
        if name in internal_columns("controller_activity")
    ]
    headings = [*ICO_CONTROLLER_HEADINGS, *(label for _, label in evidence)]
    rows = [
        [*ico_controller_row(activity), *(display(activity[name]) for name, _ in evidence)]
        for activity in register.controller_activities
    ]
    return RecordTable(headings, rows)


def processor_table(
    register: Register, rows: list[Row], for_one_customer: bool = False
) -> RecordTable:
    """The Art. 30(2) rows; the organisation's contacts (and, for one customer's record, the
    customer's) are in the contact block above instead."""
    labels = {
        name: label
        for name, label in register.fields("processor_activity").items()
        if not is_own_contact(name) and not (for_one_customer and name in CUSTOMER_COLUMNS)
    }
    return RecordTable(
        list(labels.values()), [[display(row[name]) for name in labels] for row in rows]
    )


def section_table(register: Register, section: str, definition: str) -> RecordTable:
    labels = register.fields(definition)
    return RecordTable(
        list(labels.values()),
        [[display(row[name]) for name in labels] for row in register.sections[section]],
    )


def findings_table(findings: dict[str, Any]) -> RecordTable:
    items: list[dict[str, Any]] = list(findings.get("findings", []))
    return RecordTable(
        ["Check", "Severity", "Subject", "Count", "Message"],
        [
            [
                item["check"],
                item["severity"],
                ", ".join(f"{key}: {value}" for key, value in item["subject"].items()),
                item["count"],
                item.get("message"),
            ]
            for item in items
        ],
    )


def customers(register: Register) -> dict[str, list[Row]]:
    """customer_key → that customer's processor rows, for every customer of a processor system."""
    by_customer: dict[str, list[Row]] = defaultdict(list)
    for row in register.processor_activities:
        by_customer[str(row["customer_key"])].append(row)
    return dict(by_customer)


def processor_contacts(row: Row) -> list[list[Cell]]:
    """[role, name, address, email, telephone] of the processor, its DPO and representative."""
    return [
        [role, *(row.get(f"{prefix}_{part}") for part in ("name", "address", "email", "phone"))]
        for role, prefix in (
            ("Processor", "processor"),
            ("Data protection officer", "dpo"),
            ("Representative", "representative"),
        )
    ]


def customer_facts(register: Register, row: Row) -> list[list[Cell]]:
    """[label, value] of the customer (the controller) a processor record is kept for."""
    labels = register.fields("processor_activity")
    return [[labels[name], display(row.get(name))] for name in CUSTOMER_COLUMNS if name in labels]


def audience_note(register: Register) -> str:
    if register.audience == "internal":
        return (
            "Internal copy (the DPO's): the record with the audit's evidence (records held and "
            "overdue, open findings, source files and their load time), the register's keys and "
            "codes, a Findings sheet and findings.json. Not the copy for the supervisory "
            "authority."
        )
    return (
        "Regulator's copy: the record of processing activities alone (GDPR Art. 30(4)), in "
        "words, without the internal audit or the register's internal keys and codes."
    )


def notes_rows(register: Register, identity: PackIdentity) -> list[list[Cell]]:
    """The Notes sheet (and the PDF's "How this record was made"): [topic, note]."""
    organization = register.organization
    return [
        ["Organisation", organization.get("name")],
        ["Pack id", identity.pack_id],
        ["Copy", audience_note(register)],
        ["Evaluation date", f"{register.as_of}: every date and status is evaluated as of it."],
        ["Version", str(identity.version)],
        ["Previous pack", identity.previous_pack_id or "none (first pack)"],
        ["Created (UTC)", identity.created_at.strftime("%Y-%m-%d %H:%M:%S")],
        [
            "Sources",
            "The organisation's register of processing (systems, their privacy declarations "
            "and data flows, the organisation's contacts), its vendor and customer lists and its "
            "retention rules, as exported by its systems, checked and published by the "
            "warehouse; the taxonomy names are fideslang's. Drop fingerprint (SHA-256 over the "
            f"exported files): {register.drop_fingerprint}.",
        ],
        [
            "Empty cells",
            "An empty cell means that the register holds nothing for that field: nothing is "
            "inferred or invented. Headings of the ICO template that the register has no field "
            "for stay empty on every row.",
        ],
        [
            "Text cells",
            "Every value is text as the register holds it; text that begins with =, +, - or @ "
            "is kept as text and never calculated.",
        ],
        ["Integrity", "manifest.json lists the SHA-256 of every file of the pack."],
    ]
