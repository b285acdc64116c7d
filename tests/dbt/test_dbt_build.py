"""`dbt build` (seeds, models, snapshots, data tests and unit tests) on a tiny raw schema.

The raw tables come from SQL fixtures written from docs/architecture.md and the specs, not from
the demo generator, so the dbt project is tested on its own. The project is built once per
session by the `dbt_built` fixture (tests/dbt_harness.py), shared with tests/audit.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import duckdb

from pipelines.load.raw_tables import RAW_TABLES
from tests.dbt_harness import DBT_PROJECT, FIXTURES, DbtProject


def test_dbt_build_succeeds_including_unit_tests(dbt_built: DbtProject) -> None:
    result = dbt_built.result
    assert result is not None
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    statuses = {r["unique_id"]: r["status"] for r in dbt_built.run_results["results"]}
    # exposures report no-op; warn-severity tests would report warn (none expected on the fixtures)
    failing = {
        uid: status
        for uid, status in statuses.items()
        if status not in ("success", "pass") and not uid.startswith("exposure.")
    }
    assert not failing
    unit_tests = [uid for uid in statuses if uid.startswith("unit_test.")]
    assert len(unit_tests) >= 8, unit_tests
    for kind in ("seed.ropa.", "snapshot.ropa.", "model.ropa.ropa_controller"):
        assert any(uid.startswith(kind) for uid in statuses), kind


def test_controller_record_is_filled_and_readable(dbt_built: DbtProject) -> None:
    rows = dbt_built.query(
        "select activity_key, purpose_name, data_subject_categories, personal_data_categories,"
        " recipients, third_countries, transfer_safeguards, records_held, records_overdue"
        " from marts.ropa_controller order by activity_key",
    )
    # chat is a processor-only system: its activity is in ropa_processor, not here
    assert [r[0] for r in rows] == [
        "account_portal:essential.service",
        "account_portal:marketing.communications.email",
        "web_analytics:analytics.reporting",
    ]
    analytics = rows[2]
    assert analytics[1] == "Analytics for Reporting"
    assert analytics[2] == "Anonymous User"
    assert analytics[3] == "Cookie ID; Visitor segment"  # custom term named from taxonomy.yml
    # the declaration's third_parties as written, then the flows of its categories, in words
    assert analytics[4] == (
        "Tracker Inc; Tracker Inc (processor, United States (US)); ghost vendor (unknown recipient)"
    )
    assert analytics[5] == "United States (US)"
    assert analytics[6] == "Tracker Inc (United States (US)): no safeguard on file"
    portal = rows[0]
    assert (portal[7], portal[8]) == (4, 2)


def test_processor_record_one_row_per_customer_and_activity(dbt_built: DbtProject) -> None:
    rows = dbt_built.query(
        "select customer_key, activity_key, customer_country, data_subject_categories,"
        " customer_retention_days, third_countries from marts.ropa_processor order by 1, 2",
    )
    assert rows == [
        ("acme", "chat:essential.service", "Germany (DE)", "Consumer", 30, "Switzerland (CH)"),
        ("globex", "chat:essential.service", "France (FR)", "Consumer", None, "Switzerland (CH)"),
    ]


def test_transfers_and_request_sla(dbt_built: DbtProject) -> None:
    transfers = dbt_built.query(
        "select transfer_key, is_safeguarded from marts.transfers order by 1"
    )
    assert transfers == [("chat→swiss_mail", True), ("web_analytics→tracker_inc", False)]
    sla = dict(dbt_built.query("select request_id, status from marts.privacy_request_sla"))
    assert sla == {"r1": "on_time", "r2": "late", "r3": "overdue", "r4": "open"}


def test_retention_schedule_counts(dbt_built: DbtProject) -> None:
    rows = dbt_built.query(
        "select rule_key, records, records_overdue, records_on_legal_hold, records_no_deadline"
        " from marts.retention_schedule order by rule_key",
    )
    assert rows == [
        ("chat-tickets", 2, 0, 0, 2),
        ("chat-transcripts", 2, 2, 0, 0),
        ("portal-default", 1, 1, 0, 0),
        ("user-account-after-end", 3, 1, 1, 0),
    ]


def test_fixture_raw_schema_matches_the_loader() -> None:
    with duckdb.connect() as connection:
        connection.execute((FIXTURES / "raw_schema.sql").read_text())
        for table, columns in RAW_TABLES.items():
            got = connection.execute(
                "select column_name, lower(data_type) from information_schema.columns"
                " where table_schema = 'raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
            assert dict(got) == columns, table


def test_taxonomy_seed_is_generated_from_installed_fideslang() -> None:
    sys.path.insert(0, str(DBT_PROJECT / "scripts"))
    try:
        import generate_taxonomy_seed as generator
    finally:
        sys.path.pop(0)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=generator.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(generator.rows())
    seed = DBT_PROJECT / "seeds" / "fideslang_taxonomy.csv"
    assert seed.read_text(encoding="utf-8") == buffer.getvalue(), (
        "rerun scripts/generate_taxonomy_seed.py"
    )


def test_snapshots_version_art30_changes_not_evidence(
    dbt_built: DbtProject, tmp_path: Path
) -> None:
    project = dbt_built.copy(tmp_path)
    activity = "account_portal:essential.service"
    versions_sql = (
        "select count(*), count(dbt_valid_to) from snapshots.ropa_controller_snapshot"
        f" where activity_key = '{activity}'"
    )
    assert project.query(versions_sql) == [(1, 0)]

    def rebuild(change: str) -> None:
        with duckdb.connect(str(project.warehouse)) as connection:
            connection.execute(change)
        for args in (("run", "--select", "+ropa_controller"), ("snapshot",)):
            project.dbt(*args)

    # evidence only (one more record held): no new version
    rebuild(
        "insert into raw.records (system_key, record_key, record_type, data_subject, created_at,"
        " legal_hold) values ('account_portal', 'new', 'invoice', 'customer',"
        " timestamp '2026-11-01 00:00:00', false)"
    )
    assert project.query(versions_sql) == [(1, 0)]
    # an Art. 30(1)(g) field changes: a new version, the old one closed
    rebuild(
        "update raw.systems set data_security_practices = 'Encryption; MFA; yearly pen test'"
        " where system_key = 'account_portal'"
    )
    assert project.query(versions_sql) == [(2, 1)]


def test_well_formed_reports_each_rule_a_model_breaks(
    dbt_built: DbtProject, tmp_path: Path
) -> None:
    """The one test per model (macros/tests/test_well_formed.sql) catches what the single-column
    tests it replaced caught, one row per broken rule, and lets nulls pass `unique` and
    `accepted_values` as dbt's own tests do."""
    project = dbt_built.copy(tmp_path)
    with duckdb.connect(str(project.warehouse)) as connection:
        connection.execute(
            "create or replace table marts.rpt_overdue_ageing as"
            " select * from (values ('crm', '1–30 days', 1), ('crm', '1–30 days', 1),"
            " (null, 'a while', 2), ('crm', null, 3)) as t(system_key, age, age_order)"
        )
        connection.execute(
            "create or replace table marts.privacy_request_sla as"
            " select * from (values ('r1', 'late'), ('r1', 'open'), ('r2', 'lost'),"
            " (null, null), (null, 'open')) as t(request_id, status)"
        )
    result = project.run(
        "test", "--select", "test_name:well_formed,rpt_overdue_ageing privacy_request_sla",
        "--store-failures",
    )  # fmt: skip
    assert result.returncode == 1
    tests = [r for r in project.run_results["results"] if r["unique_id"].startswith("test.")]
    assert sorted(r["failures"] for r in tests) == [3, 4]
    broken = {
        row
        for test in tests
        for row in project.query(f"select rule, columns, failing_rows from {test['relation_name']}")
    }
    assert broken == {
        # rpt_overdue_ageing
        ("not_null", "system_key", 1),
        ("not_null", "age", 1),
        ("accepted_values", "age", 1),
        ("unique_combination", "system_key, age_order", 1),
        # privacy_request_sla: the two nulls are not a repeated request_id, nor a status
        ("not_null", "request_id", 2),
        ("unique", "request_id", 1),
        ("accepted_values", "status", 1),
    }
