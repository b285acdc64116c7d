"""`ropa dashboard` as a real server and a real Chromium page on it, for the browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from tests.support.dashboard_login import PASSWORD

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
CHROMIUM = "/usr/bin/chromium"
HOST = "127.0.0.1"  # `ropa dashboard` listens here unless told otherwise
WAIT_MS = 90_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def ropa(*args: str) -> list[str]:
    return [sys.executable, "-m", "commands.cli", *args]


@contextmanager
def running_dashboard(warehouse: Path) -> Iterator[str]:
    """The base URL of `ropa dashboard` over the warehouse, once it answers its health check."""
    port = free_port()
    server = subprocess.Popen(
        ropa("dashboard", "--warehouse", str(warehouse), "--port", str(port)),
        start_new_session=True,
    )
    base = f"http://{HOST}:{port}"
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


@contextmanager
def chromium_page() -> Iterator[Page]:
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


def submit_login(page: Page, name: str, password: str = PASSWORD) -> None:
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)  # not "Show password"
    page.get_by_role("button", name="Log in").click()


def sign_in(
    page: Page, base: str, name: str, path: str = "", shows: str = "Processing activities"
) -> None:
    """Open a new session at a page's address (a page load is a new session), sign in, and wait
    for the page it lands on (by default the Overview) to show a text."""
    page.goto(f"{base}/{path}")
    submit_login(page, name)
    wait_until_drawn(page, shows)


def sidebar(page: Page) -> str:
    return page.locator('[data-testid="stSidebar"]').inner_text()


def go_to(page: Page, title: str, text: str) -> None:
    """Follow the page's link in the sidebar navigation (within the signed-in session)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    wait_until_drawn(page, text)
