"""ropa.pdf rendered by poppler: several pages, the organisation and every activity in its text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult
from tests.pack.pack_files import pdf_text, words

pytestmark = pytest.mark.slow


def test_pdf_renders_to_several_pages(demo_pack: PackResult, tmp_path: Path) -> None:
    subprocess.run(
        ["pdftoppm", "-png", "-r", "20", str(demo_pack.path / "ropa.pdf"), str(tmp_path / "page")],
        check=True,
    )
    assert len(list(tmp_path.glob("page-*.png"))) > 1


def test_pdf_text_names_the_organisation_and_every_activity(
    demo_pack: PackResult, demo_warehouse: Path
) -> None:
    text = words(pdf_text(demo_pack.path / "ropa.pdf"))
    with read_only_connection(demo_warehouse) as connection:
        (organisation,) = connection.execute("select name from raw.organizations").fetchone()
        activities = [
            name
            for (name,) in connection.execute(
                "select activity_name from marts.ropa_controller"
            ).fetchall()
        ]
    assert words(organisation) in text
    assert activities
    missing = [name for name in activities if words(name) not in text]
    assert missing == []


def test_cover_page_carries_evaluation_date_pack_and_version(demo_pack: PackResult) -> None:
    first_page = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(demo_pack.path / "ropa.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "2026-11-29" in first_page
    assert demo_pack.pack_id in first_page
    assert "Version" in first_page and "Data protection officer" in first_page
