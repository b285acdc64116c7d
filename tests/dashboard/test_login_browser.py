"""The login of `ropa dashboard` in a real Chromium: a page without a session shows only the
login; a wrong password is refused and logged; a viewer never reaches Export."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from dashboards.auth.throttle import auth_log_path
from pipelines.lib.warehouse import published_path
from tests.support.dashboard_browser import (
    ARTIFACTS,
    running_dashboard,
    sidebar,
    sign_in,
    submit_login,
)
from tests.support.dashboard_login import ensure_account

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def warehouse(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's published file with a DPO and a viewer account, in a folder of its own."""
    folder = tmp_path_factory.mktemp("login-warehouse")
    shutil.copyfile(published_path(demo_warehouse), published_path(folder))
    ensure_account(folder, "dpo")
    ensure_account(folder, "viewer")
    return folder


@pytest.fixture(scope="module")
def dashboard(warehouse: Path) -> Iterator[str]:
    with running_dashboard(warehouse) as base:
        yield base


def login_form_only(page: Page) -> None:
    page.get_by_role("textbox", name="Password", exact=True).wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # what else this run would draw, drawn by now
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    for element in ("stMetric", "stDataFrame", "stDownloadButton", "stSidebarUserContent"):
        assert page.locator(f'[data-testid="{element}"]').count() == 0, element
    body = page.locator("body").inner_text()
    assert "Processing activities" not in body
    assert "As of" not in body


@pytest.mark.parametrize("path", ["", "record", "export"])
def test_without_a_session_only_the_login_shows(dashboard: str, page: Page, path: str) -> None:
    page.goto(f"{dashboard}/{path}")
    login_form_only(page)
    if not path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "login.png"), full_page=True)


def test_a_wrong_password_is_refused_and_logged(
    dashboard: str, page: Page, warehouse: Path
) -> None:
    page.goto(dashboard)
    submit_login(page, "test-dpo", "not the password")
    page.get_by_text("Wrong user name or password.").wait_for(timeout=60_000)
    login_form_only(page)
    assert "failed user=test-dpo" in auth_log_path(warehouse).read_text()


def test_the_dpo_signs_in_to_the_overview(dashboard: str, page: Page) -> None:
    sign_in(page, dashboard, "test-dpo")
    assert "Signed in as test-dpo (dpo)" in sidebar(page)
    assert "Export" in page.locator('[data-testid="stSidebarNav"]').inner_text()


def test_a_bookmarked_page_opens_once_signed_in(dashboard: str, page: Page) -> None:
    sign_in(page, dashboard, "test-dpo", path="retention", shows="Overdue by system and rule")


def test_a_viewer_has_no_export(dashboard: str, page: Page) -> None:
    # Asked for Export, it lands on the Overview.
    sign_in(page, dashboard, "test-viewer", path="export")
    navigation = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "Findings" in navigation
    assert "Export" not in navigation
    assert page.get_by_text("Build the regulator pack").count() == 0
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
