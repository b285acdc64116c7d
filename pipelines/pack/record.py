"""The record of processing as the pack sees it: read once from the published warehouse.

The columns the pack reads are the properties of `ropa.schema.json`, nothing else: that whitelist
is what keeps record-level data (record ids, their hashes) out of the pack even if a mart grows a
column, and it makes the schema the single place where a field's label (its `title`) is kept.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import duckdb

from pipelines.lib.findings import findings_document
from pipelines.lib.warehouse import read_only_connection

Row = dict[str, Any]

SCHEMA_FILE = "ropa.schema.json"

# Who the pack is for. The regulator's copy is the record alone (Art. 30(4)), in words; the
# internal copy (the DPO's) adds the audit: findings.json, a Findings sheet and the internal
# columns of the schema: those marked "x-evidence" (records held and overdue, open findings, source
# files, load times) and those marked "x-internal-key" (fides_keys, rule, vendor and customer keys,
# ISO periods and the other codes, each beside a column that holds the same fact in words).
Audience = Literal["regulator", "internal"]
AUDIENCES: tuple[Audience, ...] = ("regulator", "internal")


# The organisation's own contacts (Art. 30(1)(a) and 30(2)(a)): the same on every mart row, so
# the workbook and the PDF show them once, in a contact block, rather than in every row.
CONTACT_ROLES: tuple[tuple[str, str], ...] = (
    ("Controller", "controller"),
    ("Data protection officer", "dpo"),
    ("Representative", "representative"),
)
CONTACT_PARTS: tuple[tuple[str, str], ...] = (
    ("Name", "name"),
    ("Address", "address"),
    ("Email", "email"),
    ("Telephone", "phone"),
)
_OWN_CONTACT_PREFIXES = ("controller_", "processor_", "dpo_", "representative_")


def is_own_contact(column: str) -> bool:
    return column.startswith(_OWN_CONTACT_PREFIXES)


def contact_rows(organization: Row) -> list[list[Any]]:
    """[role, name, address, email, telephone] of the controller, DPO and representative."""
    return [
        [role, *(organization.get(f"{prefix}_{part}") for _, part in CONTACT_PARTS)]
        for role, prefix in CONTACT_ROLES
    ]


class PackSourceError(RuntimeError):
    """The published warehouse lacks a table or column the pack needs."""


@dataclass(frozen=True)
class Section:
    """One list of ropa.json: which mart feeds it, its schema definition, and its sort key."""

    name: str
    table: str
    definition: str
    key: tuple[str, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        "controller_activities", "marts.ropa_controller", "controller_activity", ("activity_key",)
    ),
    Section(
        "processor_activities",
        "marts.ropa_processor",
        "processor_activity",
        ("customer_key", "activity_key"),
    ),
    Section("recipients", "marts.recipients", "recipient", ("vendor_key",)),
    Section("transfers", "marts.transfers", "transfer", ("transfer_key",)),
    Section("retention_schedule", "marts.retention_schedule", "retention_rule", ("rule_key",)),
)
_ORGANIZATION = Section("organization", "marts.organization", "organization", ("organization_key",))


@dataclass(frozen=True)
class Register:
    """Everything a pack shows, in memory, with JSON-ready values (dates as ISO text)."""

    organization: Row
    run_id: str
    as_of: str
    drop_fingerprint: str
    sections: dict[str, list[Row]]
    audience: Audience
    # findings.json's document (checks.md); None in the regulator's copy.
    findings: dict[str, Any] | None

    def fields(self, definition: str) -> dict[str, str]:
        """The columns (name → label) of one definition that this register's audience sees."""
        return fields(definition, self.audience)

    @property
    def controller_activities(self) -> list[Row]:
        return self.sections["controller_activities"]

    @property
    def processor_activities(self) -> list[Row]:
        return self.sections["processor_activities"]


@cache
def schema() -> dict[str, Any]:
    text = resources.files("pipelines.pack").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return dict(json.loads(text))


def fields(definition: str, audience: Audience = "internal") -> dict[str, str]:
    """Column name → label, in the schema's order, of one definition (`controller_activity`...);
    for the regulator without the internal columns (evidence, keys and codes)."""
    properties: Mapping[str, Any] = schema()["$defs"][definition]["properties"]
    return {
        name: str(spec["title"])
        for name, spec in properties.items()
        if audience == "internal" or not _is_internal(spec)
    }


def _is_internal(spec: Mapping[str, Any]) -> bool:
    return bool(spec.get("x-evidence") or spec.get("x-internal-key"))


def internal_columns(definition: str) -> frozenset[str]:
    """The internal-only columns of one definition ("x-evidence" or "x-internal-key")."""
    return frozenset(fields(definition, "internal")) - frozenset(fields(definition, "regulator"))


def key_columns(definition: str) -> tuple[str, ...]:
    """The internal keys and codes of one definition ("x-internal-key"), in the schema's order."""
    properties: Mapping[str, Any] = schema()["$defs"][definition]["properties"]
    return tuple(name for name, spec in properties.items() if spec.get("x-internal-key"))


def audience_row(row: Row, definition: str, audience: Audience) -> Row:
    """The row as the audience's files hold it: the regulator's without keys and codes."""
    return {name: row[name] for name in fields(definition, audience) if name in row}


def read_register(warehouse_dir: Path, audience: Audience = "regulator") -> Register:
    """Read the published warehouse in one short read-only connection, then let it go. The
    regulator's register never reads the evidence columns or the findings at all; it reads the
    keys (to group the per-customer records and to compare with the previous pack), but no file
    of its copy shows them (`Register.fields`, `audience_row`)."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}: one of {', '.join(AUDIENCES)}")
    with read_only_connection(warehouse_dir) as connection:
        organizations = _select(connection, _ORGANIZATION, audience)
        if len(organizations) != 1:
            raise PackSourceError(
                f"marts.organization holds {len(organizations)} rows, expected exactly one"
            )
        run_id, as_of, fingerprint = _run_info(connection)
        sections = {section.name: _select(connection, section, audience) for section in SECTIONS}
        findings = findings_document(connection) if audience == "internal" else None
    return Register(
        organization=organizations[0],
        run_id=run_id,
        as_of=as_of,
        drop_fingerprint=fingerprint,
        sections=sections,
        audience=audience,
        findings=findings,
    )


def _run_info(connection: duckdb.DuckDBPyConnection) -> tuple[str, str, str]:
    rows = connection.execute(
        "select run_id, as_of, drop_fingerprint from marts.run_info"
    ).fetchall()
    if len(rows) != 1:
        raise PackSourceError(f"marts.run_info holds {len(rows)} rows, expected exactly one")
    run_id, as_of, fingerprint = rows[0]
    return str(run_id), _json_value(as_of), str(fingerprint)


def _select(
    connection: duckdb.DuckDBPyConnection, section: Section, audience: Audience
) -> list[Row]:
    shown = fields(section.definition, audience)
    wanted = [*shown, *(name for name in key_columns(section.definition) if name not in shown)]
    schema_name, table_name = section.table.split(".")
    present = {
        name
        for (name,) in connection.execute(
            "select column_name from information_schema.columns"
            " where table_schema = ? and table_name = ?",
            [schema_name, table_name],
        ).fetchall()
    }
    if not present:
        raise PackSourceError(f"the published warehouse has no table {section.table}")
    missing = [name for name in wanted if name not in present]
    if missing:
        raise PackSourceError(
            f"{section.table} lacks the column(s) {', '.join(missing)} that the pack needs"
            " (docs/architecture.md)"
        )
    select_list = ", ".join(f'"{name}"' for name in wanted)
    order_by = ", ".join(f'"{name}"' for name in section.key)
    cursor = connection.execute(f"select {select_list} from {section.table} order by {order_by}")
    return [
        {name: _json_value(value) for name, value in zip(wanted, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _json_value(value: Any) -> Any:
    """DuckDB values as JSON-ready Python, so every writer and every comparison sees one form."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list | tuple):
        # Lists are shown like the marts' own `; `-joined category columns.
        return "; ".join(str(_json_value(item)) for item in value)
    return value
