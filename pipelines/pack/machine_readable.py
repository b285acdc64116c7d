"""The machine-readable files: ropa.json (checked against its schema), the CSVs, findings.json."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import jsonschema

from pipelines.pack.record import Register, Row, fields, schema

SCHEMA_VERSION = 1


def ropa_document(register: Register, pack_id: str) -> dict[str, Any]:
    """ropa.json's content; raises jsonschema.ValidationError rather than ship a bad record."""
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "pack_id": pack_id,
        "as_of": register.as_of,
        "drop_fingerprint": register.drop_fingerprint,
        "organization": register.organization,
        **register.sections,
    }
    jsonschema.Draft202012Validator(schema()).validate(document)
    return document


def write_json(document: Any, path: Path) -> None:
    path.write_text(
        json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False) + "\n",
        encoding="utf-8",
    )


def write_csv(rows: list[Row], definition: str, path: Path) -> None:
    """One mart as CSV: the schema's column names as header, booleans as true/false."""
    columns = list(fields(definition))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_value(row[name]) for name in columns])


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
