"""The tabular files of exports.md: their columns, types and which are required."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ColumnKind = Literal[
    "key", "text", "enum", "country", "date", "timestamp", "boolean", "integer", "data_subject"
]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None


@dataclass(frozen=True)
class TableSpec:
    table: str
    columns: tuple[Column, ...]
    unique_key: str | None = None


VENDORS = TableSpec(
    table="vendors",
    unique_key="vendor_key",
    columns=(
        Column("vendor_key", "key", required=True),
        Column("legal_name", "text", required=True),
        Column("recipient_category", "key", required=True),
        Column(
            "role",
            "enum",
            required=True,
            choices=(
                "processor",
                "sub_processor",
                "independent_controller",
                "joint_controller",
                "public_authority",
            ),
        ),
        Column("country", "country", required=True),
        Column("transfer_mechanism", "enum", choices=("adequacy", "scc", "bcr", "derogation")),
        Column("dpa_signed_on", "date"),
        Column("dpa_expires_on", "date"),
        Column("tia_completed_on", "date"),
        Column("service_description", "text"),
        Column("contact_email", "text"),
    ),
)

CUSTOMERS = TableSpec(
    table="customers",
    unique_key="customer_key",
    columns=(
        Column("customer_key", "key", required=True),
        Column("legal_name", "text", required=True),
        Column("country", "country", required=True),
        Column("contact_email", "text"),
        Column("systems", "text", required=True),
        Column("dpa_signed_on", "date"),
        Column("retention_days", "integer", minimum=0),
        Column("status", "enum", required=True, choices=("active", "terminated")),
        Column("terminated_on", "date"),
    ),
)

PRIVACY_REQUESTS = TableSpec(
    table="privacy_requests",
    unique_key="request_id",
    columns=(
        Column("request_id", "key", required=True),
        Column(
            "request_type",
            "enum",
            required=True,
            choices=(
                "access",
                "erasure",
                "rectification",
                "restriction",
                "portability",
                "objection",
                "unsubscribe",
                "withdraw_consent",
            ),
        ),
        Column("data_subject", "data_subject", required=True),
        Column("customer_key", "key"),
        Column("received_at", "timestamp", required=True),
        Column("completed_at", "timestamp"),
        Column("extended", "boolean"),
        Column("outcome", "enum", choices=("fulfilled", "rejected", "forwarded", "withdrawn")),
        Column("channel", "text"),
    ),
)

COOKIES = TableSpec(
    table="cookies",
    columns=(
        Column("cookie_name", "text", required=True),
        Column("domain", "text", required=True),
        Column("vendor_key", "key"),
        Column(
            "purpose",
            "enum",
            required=True,
            choices=("strictly_necessary", "functional", "analytics", "advertising"),
        ),
        Column("duration_days", "integer", minimum=0),
        Column("set_before_consent", "boolean", required=True),
    ),
)

RECORDS = TableSpec(
    table="records",
    columns=(
        Column("record_id", "text", required=True),
        Column("record_type", "key", required=True),
        Column("data_subject", "data_subject", required=True),
        Column("customer_key", "key"),
        Column("created_at", "timestamp", required=True),
        Column("last_activity_at", "timestamp"),
        Column("closed_at", "timestamp"),
        Column("legal_hold", "boolean"),
        Column("subject_country", "country"),
        Column("subject_age", "integer", minimum=0),
    ),
)

# Booleans that default to false when the cell is empty (exports.md).
FALSE_WHEN_EMPTY = frozenset({"extended", "legal_hold"})
