"""Names that are markup or markdown show as text in the dashboard, in a real Chromium.

Over the warehouse of the hostile-names drop (tests/support/hostile_names.py), every page is
opened and its DOM searched for what the names would make if they were read as markdown or
HTML: images, links out or to `javascript:`, bold, headings. The record's detail tables (the
only place where register text meets markdown; the other tables draw in a canvas) show each
name literally.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page

from tests.dashboard.test_dashboard_browser import PAGES
from tests.support.dashboard_browser import (
    chromium_page,
    go_to,
    running_dashboard,
    sign_in,
    wait_until_drawn,
)
from tests.support.dashboard_login import ensure_account
from tests.support.hostile_names import (
    CHAT_SYSTEM,
    DATA_SUBJECT,
    DEPARTMENT,
    DPO,
    EVIL_HOST,
    HOSTILE_NAMES,
    HOTEL_CUSTOMER,
    ORGANISATION,
    PORTAL_ACTIVITY,
    RETENTION_WORDING,
    SECURITY,
    SHOP_CUSTOMER,
    VENDOR,
    hostile_names_warehouse,
)

pytestmark = pytest.mark.browser

# What the detail of the one controller activity shows, and of each processor row.
CONTROLLER_DETAIL = (ORGANISATION, DPO, PORTAL_ACTIVITY, DEPARTMENT, SECURITY, RETENTION_WORDING,
                     VENDOR)  # fmt: skip
PROCESSOR_DETAIL = (ORGANISATION, DPO, CHAT_SYSTEM, DATA_SUBJECT)
# Elements that names read as markdown or HTML would create.
FORMATTING = "strong, b, em, i, u, s, del, font, h1, h2, h3, h4, h5, h6, li, blockquote"


@pytest.fixture
def warehouse(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    """A copy of the hostile-names warehouse: the viewer's account goes beside it, not beside
    the one the pack tests read."""
    copy = tmp_path / "warehouse"
    shutil.copytree(hostile_names_warehouse(tmp_path_factory), copy)
    return copy


def _assert_inert(main: Locator, where: str) -> None:
    """Nothing in the page's main area is an image, a link out or formatting made of a name."""
    assert main.locator("img, image, iframe, object, embed").count() == 0, where
    links = main.locator("a[href]").evaluate_all("links => links.map(link => link.href)")
    assert [link for link in links if "javascript:" in link or EVIL_HOST in link] == [], where
    made = main.locator(FORMATTING).evaluate_all("nodes => nodes.map(node => node.textContent)")
    from_names = [text for text in made if text.strip() and any(
        text.strip() in name for name in HOSTILE_NAMES
    )]  # fmt: skip
    assert from_names == [], f"{where}: names rendered as formatting: {from_names}"


def _detail_text(main: Locator) -> str:
    tables = main.locator('[data-testid="stTable"]')
    return " ".join(" ".join(tables.all_text_contents()).split())


def _assert_shows(text: str, names: tuple[str, ...], where: str) -> None:
    missing = [name[:60] for name in names if " ".join(name.split()) not in text]
    assert missing == [], f"{where} does not show {missing}"


def test_names_are_text_on_every_page(warehouse: Path) -> None:
    viewer = ensure_account(warehouse, "viewer")
    with running_dashboard(warehouse) as dashboard, chromium_page() as page:
        sign_in(page, dashboard, viewer)
        _assert_every_page_inert(page)
        _assert_record_detail_shows_the_names(page)


def _assert_every_page_inert(page: Page) -> None:
    main = page.get_by_test_id("stMain")
    for name, title, text in PAGES:
        if name != "export":  # the DPO's page, which a viewer has not: it shows no register text
            go_to(page, title, text)
            _assert_inert(main, name)


def _assert_record_detail_shows_the_names(page: Page) -> None:
    main = page.get_by_test_id("stMain")
    go_to(page, "Record of processing", "Controller — Art. 30(1)")
    _assert_shows(_detail_text(main), CONTROLLER_DETAIL, "the controller detail")

    page.get_by_role("tab", name="Processor — Art. 30(2)").click()
    processor = page.get_by_role("tabpanel", name="Processor — Art. 30(2)")
    detail = processor.get_by_test_id("stSelectbox").last
    for customer in (HOTEL_CUSTOMER, SHOP_CUSTOMER):
        detail.click()
        page.get_by_role("option", name=customer, exact=False).first.click()
        wait_until_drawn(page, "Processor — Art. 30(2)")
        shown = _detail_text(processor)
        _assert_shows(shown, (*PROCESSOR_DETAIL, customer), f"the detail of {customer[:20]}")
        _assert_inert(main, f"the processor detail of {customer[:20]}")
