"""Every query the dashboard runs: one short-lived read-only connection each, behind a cache.

The nightly run renames a new `ropa.duckdb` over the published one. A connection held open
would keep serving the replaced file and hold a lock, so each query opens its own connection
and closes it at once. Results are cached for a minute, keyed on the published file's inode and
mtime, so a new run shows up at the next rerun rather than when the cache expires.

A table the warehouse does not hold (a model not built yet, a warehouse of an older release)
yields an empty frame: pages say "nothing yet" rather than fail.

Every table read here is a mart, shaped by dbt (`dbt_project/models/marts/`, the reports under
`marts/reports/rpt_*`): a query only selects columns, filters rows and sorts them. Counts, buckets
and statuses (a vendor's DPA status, say) are decided once, in dbt, where the audit decides them
too; the dashboard never reads the raw, staging or reference schemas.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboards.source import PublishedFile, published_file
from pipelines.lib.warehouse import WarehouseMissingError, read_only_connection

CACHE_TTL_SECONDS = 60

_Version = tuple[int, int]


@dataclass(frozen=True)
class CurrentRun:
    run_id: str
    as_of: date
    drop_fingerprint: str
    started_at: datetime
    published_at: datetime


@dataclass(frozen=True)
class Headline:
    activities: int
    systems: int
    vendors: int
    third_countries: int
    records_held: int
    records_overdue: int


def _utc(timestamp: pd.Timestamp) -> datetime:
    """Warehouse timestamps are UTC; naive ones are UTC by the load contract."""
    if timestamp.tzinfo is None:
        return timestamp.tz_localize("UTC").to_pydatetime()
    return timestamp.tz_convert("UTC").to_pydatetime()


def _version(warehouse: Path) -> tuple[PublishedFile, _Version]:
    published = published_file(warehouse)
    if published is None:
        raise WarehouseMissingError(f"no published warehouse in {warehouse}")
    return published, (published.inode, published.mtime_ns)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _tables(warehouse: str, version: _Version) -> frozenset[str]:
    del version  # part of the cache key only
    with read_only_connection(Path(warehouse)) as connection:
        rows = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables"
        ).fetchall()
    return frozenset(row[0] for row in rows)


@st.cache_data(ttl=CACHE_TTL_SECONDS, show_spinner=False)
def _query(warehouse: str, version: _Version, sql: str, params: tuple[object, ...]) -> pd.DataFrame:
    del version  # part of the cache key only
    with read_only_connection(Path(warehouse)) as connection:
        result = connection.execute(sql, list(params))
        dates = [column for column, kind, *_ in result.description or [] if kind == "DATE"]
        frame = result.df()
    # pandas turns DATE into midnight timestamps; tables should show `2026-11-29`, not a time.
    for column in dates:
        frame[column] = frame[column].dt.date
    return frame


def _read(warehouse: Path, sql: str, needs: tuple[str, ...], *params: object) -> pd.DataFrame:
    """The result of `sql`, or an empty frame when a table it `needs` is not in the warehouse."""
    _, version = _version(warehouse)
    if not set(needs) <= _tables(str(warehouse), version):
        return pd.DataFrame()
    return _query(str(warehouse), version, sql, params)


# --- the run -------------------------------------------------------------------------------


def current_run(warehouse: Path) -> CurrentRun | None:
    """The run that published the warehouse; None when the file holds no run (empty)."""
    published, _ = _version(warehouse)
    frame = _read(
        warehouse,
        "select run_id, as_of, drop_fingerprint, started_at from marts.run_info",
        ("marts.run_info",),
    )
    if frame.empty:
        return None
    row = frame.iloc[0]
    return CurrentRun(
        run_id=str(row["run_id"]),
        as_of=pd.Timestamp(row["as_of"]).date(),
        drop_fingerprint=str(row["drop_fingerprint"]),
        started_at=_utc(pd.Timestamp(row["started_at"])),
        published_at=published.published_at,
    )


def run_history(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select run_id, as_of, started_at, outcome, drop_fingerprint, records_loaded,
            rows_rejected, findings_error, findings_warn, pseudonym_key_fingerprint,
            pseudonym_key_changed
        from marts.rpt_run_history
        order by started_at
        """,
        ("marts.rpt_run_history",),
    )


def load_audit(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select source_file, file_format, rows_read, rows_loaded, rows_rejected, size_bytes,
            sha256, loaded_at
        from marts.load_files
        order by rows_rejected desc nulls last, source_file
        """,
        ("marts.load_files",),
    )


def rejects_by_file_and_reason(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select source_file, column_name, reason, rows_rejected, cells
        from marts.rpt_rejects_by_file_and_reason
        order by rows_rejected desc, source_file, column_name, reason
        """,
        ("marts.rpt_rejects_by_file_and_reason",),
    )


def rejects_in_file(warehouse: Path, source_file: str) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select line, column_name, value, reason
        from marts.rejected_cells
        where source_file = ?
        order by line, column_name
        limit 1000
        """,
        ("marts.rejected_cells",),
        source_file,
    )


# --- overview ------------------------------------------------------------------------------


def headline(warehouse: Path) -> Headline | None:
    frame = _read(
        warehouse,
        """
        select activities, systems, vendors, third_countries, records_held, records_overdue
        from marts.rpt_headline
        """,
        ("marts.rpt_headline",),
    )
    if frame.empty:
        return None
    row = frame.iloc[0]
    return Headline(**{name: int(row[name]) for name in frame.columns})


def open_findings_by_severity(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select severity, findings, failing
        from marts.rpt_open_findings_by_severity
        order by severity
        """,
        ("marts.rpt_open_findings_by_severity",),
    )


def finding_changes(warehouse: Path) -> pd.DataFrame:
    """Findings that appeared, disappeared or changed count between the last two runs."""
    return _read(
        warehouse,
        """
        select check_name, severity, subject, previous_count, latest_count, change
        from marts.rpt_finding_changes
        order by change, check_name, subject
        """,
        ("marts.rpt_finding_changes",),
    )


# --- record of processing ------------------------------------------------------------------


def controller_records(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        "select * from marts.ropa_controller order by system_name, activity_name",
        ("marts.ropa_controller",),
    )


def processor_records(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        "select * from marts.ropa_processor order by customer_name, system_name, activity_key",
        ("marts.ropa_processor",),
    )


def findings_about_activity(warehouse: Path, activity_key: str, system_key: str) -> pd.DataFrame:
    """The open findings on the activity itself and on its system (retention, records)."""
    return _read(
        warehouse,
        """
        select check_name, severity, failing_count, message
        from marts.findings
        where activity = ? or (activity is null and system = ?)
        order by severity, check_name, subject_json
        """,
        ("marts.findings",),
        activity_key,
        system_key,
    )


# --- retention -----------------------------------------------------------------------------


def retention_schedule(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        "select * from marts.retention_schedule order by system_key, rule_key",
        ("marts.retention_schedule",),
    )


def overdue_ageing(warehouse: Path) -> pd.DataFrame:
    """Overdue records per system and age bucket, buckets in age order."""
    return _read(
        warehouse,
        """
        select system_key, age, age_order, records
        from marts.rpt_overdue_ageing
        order by age_order, system_key
        """,
        ("marts.rpt_overdue_ageing",),
    )


# --- recipients and transfers --------------------------------------------------------------


def recipients(warehouse: Path) -> pd.DataFrame:
    """Vendors, with where their DPA and transfer impact assessment stand on the as-of date
    (`dpa_status`, `tia_status`: decided in dbt, where the audit's vendor checks decide them)."""
    return _read(
        warehouse,
        "select * from marts.recipients order by legal_name",
        ("marts.recipients",),
    )


def transfers(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        "select * from marts.transfers order by is_safeguarded, country, vendor_name, system_key",
        ("marts.transfers",),
    )


def data_map(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        "select * from marts.data_map order by system_name, category_name, recipient_name",
        ("marts.data_map",),
    )


def destinations_by_country(warehouse: Path) -> pd.DataFrame:
    """Where vendors receive data, per country, with the protection the country offers."""
    return _read(
        warehouse,
        """
        select country, country_name, protection, recipients, systems, data_categories
        from marts.rpt_destinations_by_country
        order by recipients desc, country
        """,
        ("marts.rpt_destinations_by_country",),
    )


# --- rights requests -----------------------------------------------------------------------


def privacy_requests(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        "select * from marts.privacy_request_sla order by received_on, request_id",
        ("marts.privacy_request_sla",),
    )


def request_sla_by_type(warehouse: Path) -> pd.DataFrame:
    """Per request type: how many met, missed or still wait on their deadline."""
    return _read(
        warehouse,
        """
        select request_type, requests, on_time, late, open, overdue, on_time_percent,
            most_days_late
        from marts.rpt_request_sla_by_type
        order by request_type
        """,
        ("marts.rpt_request_sla_by_type",),
    )


# --- findings ------------------------------------------------------------------------------


def check_summary(warehouse: Path) -> pd.DataFrame:
    """Every audit check with its open findings now and its failing count in each past run."""
    return _read(
        warehouse,
        """
        select check_name, severity, subjects, failing_count, description, trend
        from marts.rpt_check_summary
        order by is_failing desc, severity, check_name
        """,
        ("marts.rpt_check_summary",),
    )


def subject_keys(warehouse: Path, check_name: str) -> list[str]:
    """The columns of `marts.findings` that name one check's subjects, in checks.md's order
    (the audit_checks seed's `subject_keys`)."""
    keys = _read(
        warehouse,
        """
        select subject_key
        from marts.rpt_check_subject_keys
        where check_name = ?
        order by key_position
        """,
        ("marts.rpt_check_subject_keys",),
        check_name,
    )
    return [] if keys.empty else [str(key) for key in keys["subject_key"]]


def finding_subjects(warehouse: Path, check_name: str) -> pd.DataFrame:
    """The failing subjects of one check, with only the subject keys that check uses."""
    columns = ['"' + key.replace('"', '""') + '"' for key in subject_keys(warehouse, check_name)]
    return _read(
        warehouse,
        f"""
        select {", ".join([*columns, "failing_count", "message"])}
        from marts.findings
        where check_name = ?
        order by failing_count desc, subject_json
        """,
        ("marts.findings",),
        check_name,
    )
