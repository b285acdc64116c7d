"""Every page of the dashboard over the demo warehouse: it runs, and shows what the marts hold."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from commands.cli import main as ropa
from dashboards import art30
from dashboards.components import literal_markdown
from pipelines.lib.pseudonym import KEY_ENV_VAR, key_fingerprint
from pipelines.lib.warehouse import read_only_connection
from tests.conftest import AS_OF, MINIMAL_DROP
from tests.dashboard.conftest import OpenApp

Page = Callable[[str], AppTest]
Scalar = Callable[[str], Any]
Rows = Callable[[str], list[tuple[Any, ...]]]

NEW_KEY_HEX = "6b" * 32
PAGES = ["overview", "record", "retention", "recipients", "requests", "findings", "runs", "export"]


def metric(app: AppTest, label: str) -> str:
    return next(item.value for item in app.metric if item.label == label)


def number(text: str) -> int:
    return int(text.replace(",", ""))


def texts(app: AppTest) -> str:
    return "\n".join(
        str(element.value)
        for kind in ("title", "subheader", "caption", "markdown", "info", "success")
        for element in getattr(app, kind)
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_error(on_page: Page, page: str) -> None:
    app = on_page(page)
    assert app.title, f"{page} shows no title"
    assert not app.error


def test_sidebar_names_the_published_run(demo_app: AppTest, scalar: Scalar) -> None:
    sidebar = "\n".join(str(element.value) for element in demo_app.sidebar.markdown)
    assert str(scalar("select run_id from marts.run_info")) in sidebar
    assert "As of 2026-11-29" in sidebar
    assert not demo_app.warning  # the run is minutes old: not stale


def test_overview_counts_the_record(on_page: Page, scalar: Scalar) -> None:
    app = on_page("overview")
    assert number(metric(app, "Processing activities")) == scalar(
        "select count(*) from (select activity_key from marts.ropa_controller "
        "union select activity_key from marts.ropa_processor)"
    )
    assert number(metric(app, "Vendors")) == scalar("select count(*) from marts.recipients")
    assert number(metric(app, "Overdue records")) == scalar(
        "select sum(records_overdue) from marts.retention_schedule"
    )
    assert number(metric(app, "error findings")) == scalar(
        "select count(*) from marts.findings where severity = 'error'"
    )
    assert "Changes since the previous run" in texts(app)


def test_record_lists_every_controller_activity(on_page: Page, scalar: Scalar) -> None:
    app = on_page("record")
    activities = scalar("select count(*) from marts.ropa_controller")
    assert [tab.label for tab in app.tabs] == ["Controller — Art. 30(1)", "Processor — Art. 30(2)"]
    assert f"{activities} of {activities} processing activities" in texts(app)
    assert len(app.tabs[0].dataframe[0].value) == activities


def test_record_filters_by_system(on_page: Page, scalar: Scalar) -> None:
    app = on_page("record")
    system = app.multiselect(key="controller_system_name").options[0]
    app.multiselect(key="controller_system_name").select(system).run()
    shown = app.tabs[0].dataframe[0].value
    assert set(shown["system_name"]) == {system}
    expected = scalar(f"select count(*) from marts.ropa_controller where system_name = '{system}'")
    assert len(shown) == expected


def test_record_filters_by_data_category_inside_joined_cells(on_page: Page) -> None:
    app = on_page("record")
    category = app.multiselect(key="controller_personal_data_categories").options[0]
    app.multiselect(key="controller_personal_data_categories").select(category).run()
    shown = app.tabs[0].dataframe[0].value
    assert len(shown) > 0
    assert all(category in cell.split("; ") for cell in shown["personal_data_categories"])


def test_record_detail_shows_every_art30_field_and_evidence(on_page: Page, rows: Rows) -> None:
    app = on_page("record")
    activity_key, lawful_basis, source_files = rows(
        "select activity_key, lawful_basis, source_files from marts.ropa_controller "
        "order by activity_key desc limit 1"
    )[0]
    app.selectbox(key="controller_detail").set_value(activity_key).run()
    assert not app.exception
    fields = {label: value for table in app.table for label, value in table.value["Value"].items()}
    # The labels are the pack schema's titles (ropa.schema.json), not the dashboard's own.
    labels = art30.labels(art30.CONTROLLER)
    for column in ("controller_name", "purpose_name", "data_subject_categories",
                   "personal_data_categories", "recipient_categories", "third_countries",
                   "retention_period_text", "security_measures", "lawful_basis", "dpia_required",
                   "records_held", "records_overdue", "open_findings", "source_files",
                   "loaded_at"):  # fmt: skip
        assert labels[column] in fields, f"the detail lacks {labels[column]}"
    # Shown as text: the table's cells are markdown with the register's punctuation escaped.
    assert fields[labels["lawful_basis"]] == literal_markdown(lawful_basis or "—")
    assert fields[labels["source_files"]] == literal_markdown(source_files or "—")
    assert "Open findings on this activity and its system" in texts(app)


def test_processor_tab_filters_by_customer(on_page: Page, scalar: Scalar) -> None:
    app = on_page("record")
    customer = app.multiselect(key="processor_customer_name").options[0]
    app.multiselect(key="processor_customer_name").select(customer).run()
    shown = app.tabs[1].dataframe[0].value
    assert set(shown["customer_name"]) == {customer}
    assert len(shown) == scalar(
        f"select count(*) from marts.ropa_processor where customer_name = '{customer}'"
    )


def test_retention_shows_overdue_and_filters_by_system(on_page: Page, scalar: Scalar) -> None:
    app = on_page("retention")
    assert number(metric(app, "Overdue records")) == scalar(
        "select sum(records_overdue) from marts.retention_schedule"
    )
    assert "How long overdue records are past their deadline" in texts(app)
    assert "Legal holds" in texts(app)
    system = scalar(
        "select system_key from marts.retention_schedule "
        "group by system_key order by sum(records_overdue) desc limit 1"
    )
    app.multiselect(key="retention_system").select(system).run()
    assert number(metric(app, "Overdue records")) == scalar(
        f"select sum(records_overdue) from marts.retention_schedule where system_key = '{system}'"
    )
    assert set(app.dataframe[0].value["system_key"]) == {system}


def test_recipients_lists_vendors_transfers_and_filters_by_role(
    on_page: Page, scalar: Scalar
) -> None:
    app = on_page("recipients")
    vendors = scalar("select count(*) from marts.recipients")
    assert f"{vendors} of {vendors} vendors" in texts(app)
    assert "Transfers to third countries" in texts(app)
    assert "Data map: system → data category → recipient" in texts(app)
    app.multiselect(key="vendor_role").select("processor").run()
    assert set(app.dataframe[0].value["role"]) == {"processor"}
    assert len(app.dataframe[0].value) == scalar(
        "select count(*) from marts.recipients where role = 'processor'"
    )


def test_requests_count_by_status_and_filter_by_type(on_page: Page, scalar: Scalar) -> None:
    app = on_page("requests")
    assert number(metric(app, "Requests")) == scalar(
        "select count(*) from marts.privacy_request_sla"
    )
    assert number(metric(app, "Open past deadline")) == scalar(
        "select count(*) from marts.privacy_request_sla where status = 'overdue'"
    )
    request_type = app.multiselect(key="request_type").options[0]
    app.multiselect(key="request_type").select(request_type).run()
    assert number(metric(app, "Requests")) == scalar(
        f"select count(*) from marts.privacy_request_sla where request_type = '{request_type}'"
    )
    assert app.dataframe[0].value["request_type"].tolist() == [request_type]


def test_findings_lists_every_check_and_drills_down(on_page: Page, scalar: Scalar) -> None:
    app = on_page("findings")
    checks = scalar("select count(*) from marts.rpt_check_summary")
    failing = scalar("select count(distinct check_name) from marts.findings")
    assert f"{failing} of {checks} checks fail" in texts(app)
    assert len(app.dataframe[0].value) == checks
    app.toggle(key="findings_only_failing").set_value(True).run()
    assert len(app.dataframe[0].value) == failing
    check = app.selectbox(key="findings_check").options[-1]
    app.selectbox(key="findings_check").set_value(check).run()
    subjects = app.dataframe[1].value
    assert len(subjects) == scalar(
        f"select count(*) from marts.findings where check_name = '{check}'"
    )
    # the subject columns are the check's subject_keys in the audit_checks seed, in that order
    keys = scalar(f"select subject_keys from marts.rpt_check_summary where check_name = '{check}'")
    assert list(subjects.columns) == [*keys.split(";"), "failing_count", "message"]


def test_runs_show_load_audit_and_rejects(on_page: Page, scalar: Scalar) -> None:
    app = on_page("runs")
    assert number(metric(app, "Rows rejected")) == scalar(
        "select sum(rows_rejected) from marts.load_files"
    )
    assert "Rejected rows by file and reason" in texts(app)
    source_file = scalar("select min(source_file) from marts.rejected_cells")
    app.selectbox(key="rejects_file").set_value(source_file).run()
    assert len(app.dataframe[-1].value) == scalar(
        f"select count(*) from marts.rejected_cells where source_file = '{source_file}'"
    )


@pytest.fixture(scope="module")
def key_changed_warehouse(
    minimal_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the minimal warehouse refreshed once more under another pseudonym key."""
    warehouse = tmp_path_factory.mktemp("key_changed") / "warehouse"
    shutil.copytree(minimal_warehouse, warehouse)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV_VAR, NEW_KEY_HEX)
        run = ["run", "--exports", str(MINIMAL_DROP), "--warehouse", str(warehouse)]
        assert ropa([*run, "--as-of", AS_OF, "--new-key"]) == 0
    return warehouse


def test_runs_warn_at_the_run_whose_pseudonym_key_changed(
    open_app: OpenApp, key_changed_warehouse: Path
) -> None:
    with read_only_connection(key_changed_warehouse) as connection:
        runs = connection.execute(
            "select run_id, pseudonym_key_changed from marts.rpt_run_history order by started_at"
        ).fetchall()
    assert [changed for _, changed in runs] == [False, True]
    app = open_app(key_changed_warehouse).switch_page("app_pages/runs.py").run()
    assert not app.exception, [error.value for error in app.exception]
    [warning] = [str(element.value) for element in app.warning]
    changed_run = runs[1][0]
    assert warning.startswith(f"The pseudonym key changed at run {changed_run} (as of {AS_OF})")
    assert f"(key fingerprint {key_fingerprint(bytes.fromhex(NEW_KEY_HEX))})" in warning
    assert runs[0][0] not in warning


def test_runs_do_not_warn_while_the_key_stays_the_same(on_page: Page, scalar: Scalar) -> None:
    assert scalar("select count(*) from marts.rpt_run_history where pseudonym_key_changed") == 0
    app = on_page("runs")
    assert "Last runs" in texts(app)
    assert not app.warning


def test_export_builds_a_pack_to_download(on_page: Page) -> None:
    app = on_page("export")
    app.button(key="export_build").click().run()
    assert not app.exception
    assert not app.error
    assert any("is ready" in str(message.value) for message in app.success)
    assert app.download_button(key="export_download")


def test_export_offers_both_copies_and_says_which_is_which(on_page: Page) -> None:
    app = on_page("export")
    (copy,) = [radio for radio in app.radio if radio.key == "export_audience"]
    assert copy.value == "regulator"
    assert "Regulator's copy" in texts(app) and "Internal copy" in texts(app)
    copy.set_value("internal").run()
    app.button(key="export_build").click().run()
    assert not app.exception and not app.error
    ready = " ".join(str(message.value) for message in app.success)
    assert "Internal copy" in ready
    assert app.download_button(key="export_download")
