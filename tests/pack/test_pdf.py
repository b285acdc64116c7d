"""ropa.pdf rendered by poppler: several pages, the organisation and every activity in its text."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from reportlab import rl_config
from reportlab.platypus import Paragraph

from pipelines.lib.warehouse import read_only_connection
from pipelines.pack import PackResult, pdf
from pipelines.pack.identity import PackIdentity
from pipelines.pack.record import read_register
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


def _raw_text(path: Path) -> str:
    """The PDF's text in drawing order, all whitespace removed: a heading wrapped over lines
    inside its table cell still reads as one string."""
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return "".join(text.split())


@pytest.mark.parametrize("pack_name", ["demo_pack", "internal_pack"])
def test_pdf_carries_every_column_heading_of_the_workbook(
    pack_name: str, request: pytest.FixtureRequest
) -> None:
    pack: PackResult = request.getfixturevalue(pack_name)
    text = _raw_text(pack.path / "ropa.pdf")
    workbook = load_workbook(pack.path / "ropa.xlsx")
    missing = {}
    for sheet in workbook.worksheets:
        if sheet.freeze_panes is None:
            continue  # the Notes sheet: topic and note, a section of its own in the PDF
        header_row = int(sheet[sheet.freeze_panes].row) - 1
        headings = [str(cell.value) for cell in sheet[header_row] if cell.value is not None]
        absent = [heading for heading in headings if "".join(heading.split()) not in text]
        if absent:
            missing[sheet.title] = absent
    assert missing == {}
    assert "Linktocontractwithprocessor" in text
    assert "Howthisrecordwasmade" in text


def test_pdf_repeats_table_headers_on_each_page(internal_pack: PackResult) -> None:
    """Every page of the recipients table carries its heading row."""
    pages = [
        "".join(page.split())
        for page in pdf_text(internal_pack.path / "ropa.pdf", raw=True).split("\f")
    ]
    # The section's first page (the contents pages name the heading too, without the table).
    start = next(
        i
        for i, page in enumerate(pages)
        if "3.Recipientsandprocessors" in page and "Recipientcategory" in page
    )
    end = next(i for i, page in enumerate(pages) if i > start and "4.Transfers" in page)
    assert end - start > 1  # the demo's table runs over several pages
    # The pages from the section's start up to the one where the transfers begin (exclusive,
    # as the recipients table may end on the page before).
    assert all("Recipientcategory" in page for page in pages[start : max(end, start + 1)])


def test_kept_cell_lines_leave_the_pdf_as_reportlab_lays_it_out(
    demo_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ropa.pdf with each cell's lines kept between passes (pdf._CellParagraph) is byte for byte
    the file that reportlab's own Paragraph writes, wrapping every cell anew each time: the
    demo's narrow columns break words and its long cells split over pages, the two cases where
    reportlab's lines change as it goes."""
    register = read_register(demo_warehouse, "internal")
    identity = PackIdentity(
        pack_id="layout",
        version=1,
        created_at=dt.datetime(2026, 11, 29, tzinfo=dt.UTC),
        previous_pack_id=None,
        signing_key_fingerprint="sha256:0",
    )
    monkeypatch.setattr(rl_config, "invariant", 1)  # no creation time, a fixed document id
    pdf.write_pdf(register, identity, tmp_path / "kept.pdf")
    monkeypatch.setattr(pdf, "_CellParagraph", Paragraph)
    pdf.write_pdf(register, identity, tmp_path / "anew.pdf")
    assert (tmp_path / "kept.pdf").read_bytes() == (tmp_path / "anew.pdf").read_bytes()
