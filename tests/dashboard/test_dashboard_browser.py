"""The dashboard served by `ropa dashboard` in a real Chromium, and a nightly run while it is open.

Each test signs in as the DPO and moves between pages through the sidebar, as a person does.
Screenshots of every page go to `test-artifacts/dashboard/` for a human to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from pipelines.lib.warehouse import published_path
from tests.support.dashboard_browser import (
    ARTIFACTS,
    WAIT_MS,
    go_to,
    ropa,
    running_dashboard,
    sidebar,
    sign_in,
    wait_until_drawn,
)
from tests.support.dashboard_login import ensure_account

pytestmark = pytest.mark.browser

REFRESH_AS_OF = "2026-11-30"
# (screenshot name, title in the navigation, a text only that page shows once its data is drawn)
PAGES = [
    ("overview", "Overview", "Processing activities"),
    ("record", "Record of processing", "Controller — Art. 30(1)"),
    ("retention", "Retention", "Overdue by system and rule"),
    ("recipients", "Recipients and transfers", "Where personal data goes"),
    ("requests", "Rights requests", "Late and overdue requests"),
    ("findings", "Findings", "Subjects of a check"),
    ("runs", "Runs and data quality", "Rejected rows by file and reason"),
    ("export", "Export", "Build the regulator pack"),
]


@pytest.fixture
def warehouse(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the demo warehouse: this test publishes a new run into it, which the session's
    shared warehouse must not see."""
    copy = tmp_path / "warehouse"
    shutil.copytree(demo_warehouse, copy, ignore=shutil.ignore_patterns("build", "logs"))
    return copy


@pytest.fixture
def dpo(warehouse: Path) -> str:
    return ensure_account(warehouse, "dpo")


@pytest.fixture
def dashboard(warehouse: Path) -> Iterator[str]:
    with running_dashboard(warehouse) as base:
        yield base


def test_every_page_in_chromium(dashboard: str, dpo: str, page: Page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, dashboard, dpo)
    for name, title, text in PAGES:
        go_to(page, title, text)
        assert "As of 2026-11-29" in sidebar(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_export_downloads_the_pack_as_a_zip(
    dashboard: str, dpo: str, page: Page, tmp_path: Path
) -> None:
    sign_in(page, dashboard, dpo)
    go_to(page, "Export", "Build the regulator pack")
    page.get_by_role("button", name="Build the regulator pack").click()
    page.get_by_text("is ready").wait_for(timeout=WAIT_MS)
    # The kept nightly pack has its own button; the fresh one is named after the dashboard.
    download_button = page.get_by_role(
        "button", name=re.compile(r"-dashboard-[0-9a-f]{6}-regulator\.zip$")
    )
    with page.expect_download(timeout=WAIT_MS) as download:
        download_button.click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as pack:
        names = {Path(name).name for name in pack.namelist()}
    assert {"manifest.json", "ropa.xlsx", "ropa.pdf", "changes.md"} <= names
    assert "findings.json" not in names  # the regulator's copy, the default


def test_a_nightly_run_while_the_dashboard_is_open(
    dashboard: str, dpo: str, page: Page, warehouse: Path, demo_drop: Any
) -> None:
    sign_in(page, dashboard, dpo)
    before = published_path(warehouse).stat().st_ino
    run = subprocess.Popen(
        ropa("run", "--exports", str(demo_drop.root), "--warehouse", str(warehouse),
             "--as-of", REFRESH_AS_OF),
    )  # fmt: skip
    # Readers keep reading while the run loads, builds and publishes: each reload is a new
    # session, which signs in again.
    while run.poll() is None:
        sign_in(page, dashboard, dpo)
        time.sleep(3)
    assert run.returncode == 0
    assert published_path(warehouse).stat().st_ino != before

    sign_in(page, dashboard, dpo)
    wait_until_drawn(page, f"As of {REFRESH_AS_OF}")
    wait_until_drawn(page, "Records loaded")  # the comparison with the previous run
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-after-refresh.png"), full_page=True)
    go_to(page, "Runs and data quality", "Last runs")
    assert page.get_by_text(REFRESH_AS_OF).count() > 0
