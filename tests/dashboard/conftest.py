"""Fixtures for the dashboard tests: the app under `AppTest`, signed in as the DPO through the
login form, and direct reads for expectations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from streamlit.testing.v1 import AppTest

from dashboards.source import WAREHOUSE_ENV
from pipelines.lib.warehouse import read_only_connection
from tests.support.dashboard_browser import chromium_page
from tests.support.dashboard_login import open_signed_in

OpenApp = Callable[[Path], AppTest]


@pytest.fixture
def open_app(monkeypatch: pytest.MonkeyPatch) -> OpenApp:
    """Run the dashboard's entry script over a warehouse folder, as `ropa dashboard` would, and
    sign in as the DPO (a test account is added to the folder: harmless beside a warehouse)."""

    def open_over(warehouse: Path) -> AppTest:
        monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))
        return open_signed_in(warehouse)

    return open_over


@pytest.fixture
def page() -> Iterator[Page]:
    """A Chromium page (the browser tests)."""
    with chromium_page() as page:
        yield page


@pytest.fixture
def demo_app(open_app: OpenApp, demo_warehouse: Path) -> AppTest:
    return open_app(demo_warehouse)


@pytest.fixture
def on_page(demo_app: AppTest) -> Callable[[str], AppTest]:
    def switch(page: str) -> AppTest:
        demo_app.switch_page(f"app_pages/{page}.py").run()
        assert not demo_app.exception, [error.value for error in demo_app.exception]
        return demo_app

    return switch


@pytest.fixture
def scalar(demo_warehouse: Path) -> Callable[[str], Any]:
    """The single value a query returns from the demo warehouse, to compare the page with."""

    def query(sql: str) -> Any:
        with read_only_connection(demo_warehouse) as connection:
            row = connection.execute(sql).fetchone()
        assert row is not None
        return row[0]

    return query


@pytest.fixture
def rows(demo_warehouse: Path) -> Callable[[str], list[tuple[Any, ...]]]:
    def query(sql: str) -> list[tuple[Any, ...]]:
        with read_only_connection(demo_warehouse) as connection:
            return connection.execute(sql).fetchall()

    return query
