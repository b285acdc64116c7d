"""The `raw` schema: every table the loader writes, its columns and DuckDB types.

This is the Python side of docs/architecture.md's raw contract; dbt's `_drop__sources.yml`
describes the same tables. The Dagster load assets are named after these tables.
"""

from __future__ import annotations

import duckdb

RAW_SCHEMA = "raw"

_LINEAGE = {"_source_file": "varchar"}
_ROW_LINEAGE = {"_source_file": "varchar", "_source_line": "bigint"}


def _contact(prefix: str) -> dict[str, str]:
    return {f"{prefix}_{part}": "varchar" for part in ("name", "address", "email", "phone")}


RAW_TABLES: dict[str, dict[str, str]] = {
    "organizations": {
        "organization_key": "varchar",
        "name": "varchar",
        "description": "varchar",
        **_contact("controller"),
        **_contact("dpo"),
        **_contact("representative"),
        "security_policy": "varchar",
        **_LINEAGE,
    },
    "systems": {
        "system_key": "varchar",
        "name": "varchar",
        "description": "varchar",
        "administrating_department": "varchar",
        "responsibility_declared": "boolean",
        "is_controller": "boolean",
        "is_processor": "boolean",
        "is_sub_processor": "boolean",
        "processor_activities_declared": "boolean",
        "data_security_practices": "varchar",
        "requires_data_protection_assessments": "boolean",
        "dpa_progress": "varchar",
        "dpa_location": "varchar",
        "joint_controller_info": "varchar",
        "uses_profiling": "boolean",
        "legal_basis_for_profiling": "varchar",
        "legal_name": "varchar",
        "legitimate_interest_disclosure_url": "varchar",
        **_LINEAGE,
    },
    "system_processor_activities": {
        "system_key": "varchar",
        "entry": "varchar",
        "activity_key": "varchar",
        **_LINEAGE,
    },
    "system_egress_flows": {
        "system_key": "varchar",
        "recipient_key": "varchar",
        "flow_type": "varchar",
        "data_category": "varchar",
        **_LINEAGE,
    },
    "system_ingress_flows": {
        "system_key": "varchar",
        "source_key": "varchar",
        "flow_type": "varchar",
        "data_category": "varchar",
        **_LINEAGE,
    },
    "system_datasets": {"system_key": "varchar", "dataset_key": "varchar", **_LINEAGE},
    "processing_activities": {
        "activity_key": "varchar",
        "system_key": "varchar",
        "declaration_name": "varchar",
        "data_use": "varchar",
        "legal_basis_for_processing": "varchar",
        "flexible_legal_basis_for_processing": "boolean",
        "impact_assessment_location": "varchar",
        "retention_period": "varchar",
        "processes_special_category_data": "boolean",
        "special_category_legal_basis": "varchar",
        "data_shared_with_third_parties": "boolean",
        "third_parties": "varchar",
        **_LINEAGE,
    },
    "activity_data_categories": {"activity_key": "varchar", "data_category": "varchar"},
    "activity_data_subjects": {"activity_key": "varchar", "data_subject": "varchar"},
    "activity_shared_categories": {"activity_key": "varchar", "data_category": "varchar"},
    "activity_datasets": {"activity_key": "varchar", "dataset_key": "varchar", **_LINEAGE},
    "dataset_fields": {
        "dataset_key": "varchar",
        "collection_name": "varchar",
        "field_path": "varchar",
        "data_category": "varchar",
        **_LINEAGE,
    },
    "custom_taxonomy_terms": {
        "taxonomy_type": "varchar",
        "taxonomy_key": "varchar",
        "name": "varchar",
        "description": "varchar",
        "parent_key": "varchar",
        **_LINEAGE,
    },
    "register_legacy_fields": {
        "resource_type": "varchar",
        "resource_key": "varchar",
        "field_name": "varchar",
        "read_as": "varchar",
        "legacy_value": "varchar",
        **_LINEAGE,
    },
    "register_skipped": {"resource_type": "varchar", "resources": "integer", **_LINEAGE},
    "retention_rules": {
        "rule_key": "varchar",
        "system_key": "varchar",
        "record_type": "varchar",
        "data_subject": "varchar",
        "anchor_1": "varchar",
        "anchor_2": "varchar",
        "anchor_3": "varchar",
        "period": "varchar",
        "period_months": "integer",
        "period_days": "integer",
        "period_source": "varchar",
        "action": "varchar",
        "basis": "varchar",
        **_ROW_LINEAGE,
    },
    "policies": {
        "title": "varchar",
        "version": "varchar",
        "url": "varchar",
        "rights_request_days": "integer",
        "extension_days": "integer",
        "unsubscribe_business_days": "integer",
        "minimum_age": "integer",
        "processes_special_category_data": "boolean",
        "dpa_renewal_notice_days": "integer",
        **_LINEAGE,
    },
    "policy_retention_limits": {
        "data_subject": "varchar",
        "max_period": "varchar",
        "max_period_months": "integer",
        "max_period_days": "integer",
    },
    "policy_disclosed_recipient_categories": {"recipient_category": "varchar"},
    "policy_disclosed_transfer_countries": {"country": "varchar"},
    "vendors": {
        "vendor_key": "varchar",
        "legal_name": "varchar",
        "recipient_category": "varchar",
        "role": "varchar",
        "country": "varchar",
        "transfer_mechanism": "varchar",
        "dpa_signed_on": "date",
        "dpa_expires_on": "date",
        "tia_completed_on": "date",
        "service_description": "varchar",
        "contact_email": "varchar",
        **_ROW_LINEAGE,
    },
    "customers": {
        "customer_key": "varchar",
        "legal_name": "varchar",
        "country": "varchar",
        "contact_email": "varchar",
        "systems": "varchar",
        "dpa_signed_on": "date",
        "retention_days": "integer",
        "status": "varchar",
        "terminated_on": "date",
        **_ROW_LINEAGE,
    },
    "customer_systems": {"customer_key": "varchar", "system_key": "varchar"},
    "privacy_requests": {
        "request_id": "varchar",
        "request_type": "varchar",
        "data_subject": "varchar",
        "customer_key": "varchar",
        "received_at": "timestamp",
        "completed_at": "timestamp",
        "extended": "boolean",
        "outcome": "varchar",
        "channel": "varchar",
        **_ROW_LINEAGE,
    },
    "cookies": {
        "cookie_name": "varchar",
        "domain": "varchar",
        "vendor_key": "varchar",
        "purpose": "varchar",
        "duration_days": "integer",
        "set_before_consent": "boolean",
        **_ROW_LINEAGE,
    },
    "records": {
        "system_key": "varchar",
        "record_key": "blob",  # pipelines/lib/pseudonym.py: 16 bytes of a keyed HMAC
        "record_type": "varchar",
        "data_subject": "varchar",
        "customer_key": "varchar",
        "created_at": "timestamp",
        "last_activity_at": "timestamp",
        "closed_at": "timestamp",
        "legal_hold": "boolean",
        "subject_country": "varchar",
        "subject_age": "integer",
        **_ROW_LINEAGE,
    },
    "rejects": {
        "source_file": "varchar",
        "line": "bigint",
        "column_name": "varchar",
        "value": "varchar",
        "reason": "varchar",
    },
    "load_audit": {
        "source_file": "varchar",
        "file_format": "varchar",
        "sha256": "varchar",
        "size_bytes": "bigint",
        "rows_read": "bigint",
        "rows_loaded": "bigint",
        "rows_rejected": "bigint",
        "loaded_at": "timestamp",
        # With size_bytes, the stamp a later run compares to reuse sha256 without reading the
        # file again (as git and rsync do): pipelines/load/carry_over.py.
        "mtime_ns": "bigint",
    },
    "run_info": {
        "run_id": "varchar",
        "as_of": "date",
        "drop_fingerprint": "varchar",
        "started_at": "timestamp",
        "pseudonym_key_fingerprint": "varchar",
        "code_version": "varchar",  # pipelines/lib/code_version.py
        # What record files were validated against: a record file is carried over only when
        # the register's data subjects are the same (pipelines/load/carry_over.py).
        "data_subjects_fingerprint": "varchar",
    },
}


def create_raw_tables(connection: duckdb.DuckDBPyConnection) -> None:
    connection.execute(f"create schema if not exists {RAW_SCHEMA}")
    for table, columns in RAW_TABLES.items():
        column_sql = ", ".join(f"{name} {kind}" for name, kind in columns.items())
        connection.execute(f"create or replace table {RAW_SCHEMA}.{table} ({column_sql})")


def insert_rows(
    connection: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, object]]
) -> None:
    """Insert small row lists (register tables); columns missing from a row are null."""
    if not rows:
        return
    columns = list(RAW_TABLES[table])
    placeholders = ", ".join("?" for _ in columns)
    connection.executemany(
        f"insert into {RAW_SCHEMA}.{table} values ({placeholders})",
        [[row.get(column) for column in columns] for row in rows],
    )
