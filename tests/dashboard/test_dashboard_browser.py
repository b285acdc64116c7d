"""The dashboard served by `ropa dashboard` in a real Chromium, and a nightly run while it is open.

Screenshots of every page go to `test-artifacts/dashboard/` for a human to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from pipelines.lib.warehouse import published_path

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
CHROMIUM = "/usr/bin/chromium"
REFRESH_AS_OF = "2026-11-30"
# (url path, a text only that page shows once its data is drawn)
PAGES = [
    ("", "Processing activities"),
    ("record", "Controller — Art. 30(1)"),
    ("retention", "Overdue by system and rule"),
    ("recipients", "Where personal data goes"),
    ("requests", "Late and overdue requests"),
    ("findings", "Subjects of a check"),
    ("runs", "Rejected rows by file and reason"),
    ("export", "Build the regulator pack"),
]
WAIT_MS = 90_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return int(probe.getsockname()[1])


def ropa(*args: str) -> list[str]:
    return [sys.executable, "-m", "commands.cli", *args]


@pytest.fixture
def warehouse(demo_warehouse: Path, tmp_path: Path) -> Path:
    """A copy of the demo warehouse: this test publishes a new run into it, which the session's
    shared warehouse must not see."""
    copy = tmp_path / "warehouse"
    shutil.copytree(demo_warehouse, copy, ignore=shutil.ignore_patterns("build", "logs"))
    return copy


@pytest.fixture
def dashboard(warehouse: Path) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        ropa("dashboard", "--warehouse", str(warehouse), "--port", str(port)),
        start_new_session=True,
    )
    base = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "ropa dashboard exited"
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                assert time.monotonic() < deadline, "the dashboard did not become healthy"
                time.sleep(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            browser.close()


def wait_until_drawn(page: Page, text: str) -> None:
    page.get_by_text(text).first.wait_for(timeout=WAIT_MS)
    # Streamlit shows its status widget while the script runs; charts draw after it stops.
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=WAIT_MS)
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stException"]').count() == 0, f"an exception on {text}"


def sidebar(page: Page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def test_every_page_in_chromium(dashboard: str, page: Page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for path, text in PAGES:
        page.goto(f"{dashboard}/{path}")
        wait_until_drawn(page, text)
        assert "As of 2026-11-29" in sidebar(page)
        page.screenshot(path=str(ARTIFACTS / f"{path or 'overview'}.png"), full_page=True)


def test_export_downloads_the_pack_as_a_zip(dashboard: str, page: Page, tmp_path: Path) -> None:
    page.goto(f"{dashboard}/export")
    wait_until_drawn(page, "Build the regulator pack")
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
    dashboard: str, page: Page, warehouse: Path, demo_drop: Any
) -> None:
    page.goto(dashboard)
    wait_until_drawn(page, "Processing activities")
    before = published_path(warehouse).stat().st_ino
    run = subprocess.Popen(
        ropa("run", "--exports", str(demo_drop.root), "--warehouse", str(warehouse),
             "--as-of", REFRESH_AS_OF),
    )  # fmt: skip
    # Readers keep reading while the run loads, builds and publishes.
    while run.poll() is None:
        page.reload()
        wait_until_drawn(page, "Processing activities")
        time.sleep(3)
    assert run.returncode == 0
    assert published_path(warehouse).stat().st_ino != before

    page.reload()
    wait_until_drawn(page, f"As of {REFRESH_AS_OF}")
    wait_until_drawn(page, "Records loaded")  # the comparison with the previous run
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "overview-after-refresh.png"), full_page=True)
    page.goto(f"{dashboard}/runs")
    wait_until_drawn(page, "Last runs")
    assert page.get_by_text(REFRESH_AS_OF).count() > 0
