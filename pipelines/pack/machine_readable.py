"""The machine-readable files: ropa.json (checked against its schema), the CSVs, findings.json.

The CSVs are what a recipient opens in a spreadsheet: every field goes through
`safe_text.csv_field`, so that no text is read as a formula.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import jsonschema

from pipelines.pack.record import SECTIONS, Register, Row, audience_row, schema
from pipelines.pack.safe_text import csv_field

SCHEMA_VERSION = 3


def ropa_document(register: Register, pack_id: str, with_keys: bool = False) -> dict[str, Any]:
    """ropa.json's content, the audience's columns only (the regulator's without the internal
    keys and codes); `with_keys` keeps the keys in memory for comparing with the previous pack.
    Raises jsonschema.ValidationError rather than ship a bad record."""
    audience = "internal" if with_keys else register.audience
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "pack_id": pack_id,
        "audience": register.audience,
        "as_of": register.as_of,
        "drop_fingerprint": register.drop_fingerprint,
        "organization": audience_row(register.organization, "organization", audience),
        **{
            section.name: [
                audience_row(row, section.definition, audience)
                for row in register.sections[section.name]
            ]
            for section in SECTIONS
        },
    }
    jsonschema.Draft202012Validator(schema()).validate(document)
    return document


def write_json(document: Any, path: Path) -> None:
    path.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
        encoding="utf-8",
    )


def write_csv(register: Register, rows: list[Row], definition: str, path: Path) -> None:
    """One mart as CSV: the audience's columns of the schema as header, booleans as true/false."""
    columns = list(register.fields(definition))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_value(row[name]) for name in columns])


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else csv_field(value)
