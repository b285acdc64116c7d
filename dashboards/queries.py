"""Every query the dashboard runs: one short-lived read-only connection each, behind a cache.

The nightly run renames a new `ropa.duckdb` over the published one. A connection held open
would keep serving the replaced file and hold a lock, so each query opens its own connection
and closes it at once. Results are cached for a minute, keyed on the published file's inode and
mtime, so a new run shows up at the next rerun rather than when the cache expires.

A table the warehouse does not hold (the history tables before a run has written them, a model
not built yet) yields an empty frame: pages say "nothing yet" rather than fail.
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
# The subject columns of `marts.findings`, in the order checks.md lists subject keys.
SUBJECT_COLUMNS = (
    "system", "rule", "record_type", "customer", "activity", "recipient", "vendor", "category",
    "request_type", "file", "cookie",
)  # fmt: skip

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
        "select run_id, as_of, drop_fingerprint, started_at from raw.run_info",
        ("raw.run_info",),
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
        select run_id, as_of, started_at, drop_fingerprint, records_loaded, rows_rejected,
            findings_error, findings_warn
        from history.run_history
        order by started_at
        """,
        ("history.run_history",),
    )


def load_audit(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select source_file, file_format, rows_read, rows_loaded, rows_rejected, size_bytes,
            sha256, loaded_at
        from raw.load_audit
        order by rows_rejected desc nulls last, source_file
        """,
        ("raw.load_audit",),
    )


def rejects_by_file_and_reason(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select source_file, column_name, reason, count(distinct line) as rows_rejected,
            count(*) as cells
        from raw.rejects
        group by all
        order by rows_rejected desc, source_file, column_name
        """,
        ("raw.rejects",),
    )


def rejects_in_file(warehouse: Path, source_file: str) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select line, column_name, value, reason
        from raw.rejects
        where source_file = ?
        order by line, column_name
        limit 1000
        """,
        ("raw.rejects",),
        source_file,
    )


# --- overview ------------------------------------------------------------------------------


def headline(warehouse: Path) -> Headline | None:
    frame = _read(
        warehouse,
        """
        select
            (select count(*) from (
                select activity_key from marts.ropa_controller
                union select activity_key from marts.ropa_processor)) as activities,
            (select count(*) from (
                select system_key from marts.ropa_controller
                union select system_key from marts.ropa_processor
                union select system_key from marts.data_map)) as systems,
            (select count(*) from marts.recipients) as vendors,
            (select count(distinct country) from marts.transfers) as third_countries,
            (select coalesce(sum(rows_loaded), 0) from raw.load_audit
                where source_file like 'records/%') as records_held,
            (select coalesce(sum(records_overdue), 0) from marts.retention_schedule)
                as records_overdue
        """,
        (
            "marts.ropa_controller", "marts.ropa_processor", "marts.data_map",
            "marts.recipients", "marts.transfers", "raw.load_audit", "marts.retention_schedule",
        ),
    )  # fmt: skip
    if frame.empty:
        return None
    row = frame.iloc[0]
    return Headline(**{name: int(row[name]) for name in frame.columns})


def open_findings_by_severity(warehouse: Path) -> pd.DataFrame:
    return _read(
        warehouse,
        """
        select severity, count(*) as findings, sum(failing_count) as failing
        from marts.findings
        group by severity
        order by severity
        """,
        ("marts.findings",),
    )


def finding_changes(warehouse: Path) -> pd.DataFrame:
    """Findings that appeared, disappeared or changed count between the last two runs."""
    return _read(
        warehouse,
        """
        with runs as (
            select run_id, row_number() over (order by started_at desc) as recency
            from history.run_history
        ),
        latest as (
            select * from history.finding_history
            where run_id = (select run_id from runs where recency = 1)
        ),
        previous as (
            select * from history.finding_history
            where run_id = (select run_id from runs where recency = 2)
        ),
        compared as (
            select
                coalesce(latest.check_name, previous.check_name) as check_name,
                coalesce(latest.severity, previous.severity) as severity,
                coalesce(latest.subject_json, previous.subject_json) as subject,
                previous.failing_count as previous_count,
                latest.failing_count as latest_count,
                case
                    when previous.check_name is null then 'new'
                    when latest.check_name is null then 'resolved'
                    when latest.failing_count > previous.failing_count then 'worse'
                    else 'better'
                end as change
            from latest
            full join previous
                on latest.check_name = previous.check_name
                and latest.subject_json = previous.subject_json
            where latest.failing_count is distinct from previous.failing_count
        )
        select * from compared
        where (select count(*) from runs) > 1
        order by change, check_name, subject
        """,
        ("history.run_history", "history.finding_history"),
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
        with buckets as (
            select system_key, '0–30 days' as age, 1 as age_order,
                sum(overdue_0_30_days) as records
            from marts.retention_schedule group by system_key
            union all
            select system_key, '31–90 days', 2, sum(overdue_31_90_days)
            from marts.retention_schedule group by system_key
            union all
            select system_key, '91–365 days', 3, sum(overdue_91_365_days)
            from marts.retention_schedule group by system_key
            union all
            select system_key, 'over a year', 4, sum(overdue_over_365_days)
            from marts.retention_schedule group by system_key
        )
        select * from buckets where records > 0 order by age_order, system_key
        """,
        ("marts.retention_schedule",),
    )


# --- recipients and transfers --------------------------------------------------------------


def recipients(warehouse: Path) -> pd.DataFrame:
    """Vendors, with where their DPA and transfer impact assessment stand on the as-of date."""
    return _read(
        warehouse,
        """
        select
            vendor.*,
            case
                when vendor.dpa_signed_on is null then 'missing'
                when vendor.dpa_expires_on < run.as_of then 'expired'
                else 'signed'
            end as dpa_status,
            case
                when vendor.in_eea or vendor.adequacy_scope = 'full' then 'not needed'
                when vendor.tia_completed_on is null then 'missing'
                else 'done'
            end as tia_status
        from marts.recipients as vendor
        cross join raw.run_info as run
        order by vendor.legal_name
        """,
        ("marts.recipients", "raw.run_info"),
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
        select
            vendor.country,
            vendor.country_name,
            case
                when vendor.in_eea then 'EEA'
                when vendor.adequacy_scope = 'full' then 'adequacy decision'
                when vendor.adequacy_scope = 'partial' then 'partial adequacy'
                else 'third country, no adequacy'
            end as protection,
            count(distinct flow.recipient_key) as recipients,
            count(distinct flow.system_key) as systems,
            count(distinct flow.data_category) as data_categories
        from marts.data_map as flow
        join marts.recipients as vendor on vendor.vendor_key = flow.recipient_key
        group by all
        order by recipients desc, vendor.country
        """,
        ("marts.data_map", "marts.recipients"),
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
        select
            request_type,
            count(*) as requests,
            count(*) filter (where status = 'on_time') as on_time,
            count(*) filter (where status = 'late') as late,
            count(*) filter (where status = 'open') as open,
            count(*) filter (where status = 'overdue') as overdue,
            round(100.0 * count(*) filter (where status = 'on_time')
                / nullif(count(*) filter (where status in ('on_time', 'late')), 0), 1)
                as on_time_percent,
            max(days_late) as most_days_late
        from marts.privacy_request_sla
        group by request_type
        order by request_type
        """,
        ("marts.privacy_request_sla",),
    )


# --- findings ------------------------------------------------------------------------------


def check_summary(warehouse: Path) -> pd.DataFrame:
    """Every audit check with its open findings now and its failing count in each past run."""
    summary = _read(
        warehouse,
        """
        with open_findings as (
            select check_name, count(*) as subjects, sum(failing_count) as failing_count
            from marts.findings
            group by check_name
        )
        select
            audit_check.check_name,
            audit_check.severity,
            coalesce(open_findings.subjects, 0) as subjects,
            coalesce(open_findings.failing_count, 0) as failing_count,
            audit_check.description
        from reference.audit_checks as audit_check
        left join open_findings using (check_name)
        order by failing_count = 0, audit_check.severity, audit_check.check_name
        """,
        ("reference.audit_checks", "marts.findings"),
    )
    trend = _read(
        warehouse,
        """
        with per_run as (
            select run_id, check_name, sum(failing_count) as failing_count
            from history.finding_history
            group by all
        )
        select
            audit_check.check_name,
            list(coalesce(per_run.failing_count, 0) order by run.started_at) as trend
        from reference.audit_checks as audit_check
        cross join history.run_history as run
        left join per_run
            on per_run.run_id = run.run_id and per_run.check_name = audit_check.check_name
        group by audit_check.check_name
        """,
        ("reference.audit_checks", "history.finding_history", "history.run_history"),
    )
    if summary.empty or trend.empty:
        return summary
    return summary.merge(trend, on="check_name", how="left")


def finding_subjects(warehouse: Path, check_name: str) -> pd.DataFrame:
    """The failing subjects of one check, with only the subject keys that check uses."""
    subjects = _read(
        warehouse,
        f"""
        select {", ".join(f'"{column}"' for column in SUBJECT_COLUMNS)}, failing_count, message
        from marts.findings
        where check_name = ?
        order by failing_count desc, subject_json
        """,
        ("marts.findings",),
        check_name,
    )
    return subjects.dropna(axis="columns", how="all")
