"""Names that are markup, formulas or markdown stay text in every file of the pack.

One drop (tests/support/hostile_names.py) holds `<img src=...>`, `<link href=...>`, a
`javascript:` link, `=HYPERLINK(...)`, markdown, an unclosed `<b>`, a right-to-left override and
a 2,000-character word in the names of the organisation, its systems, activities, vendor,
customers and retention wording. `ropa run` writes its nightly (internal) pack and `ropa export`
the regulator's; in both, the PDFs (read by poppler) show each name literally with no link out,
no action and no image, the workbooks hold them as text cells, never formulas or hyperlinks,
the CSVs as fields no spreadsheet evaluates, and ropa.json as they are.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from commands.cli import main as ropa
from pipelines.pack.safe_text import reads_as_formula
from tests.pack.pack_files import pdf_text
from tests.support.hostile_names import (
    CHAT_SYSTEM,
    DATA_SUBJECT,
    HOSTILE_NAMES,
    HOTEL_CUSTOMER,
    ORGANISATION,
    PORTAL_ACTIVITY,
    RULE_BASIS,
    SHOP_CUSTOMER,
    hostile_names_warehouse,
)

pytestmark = pytest.mark.slow

# The long word is a heading: a page break may fall inside it, between its two ends.
LONG_HEAD, LONG_TAIL = PORTAL_ACTIVITY[:30], PORTAL_ACTIVITY[-30:]
SHORT_NAMES = tuple(name for name in HOSTILE_NAMES if name != PORTAL_ACTIVITY)
# What one customer's own record holds of the hostile names.
CUSTOMER_NAMES = {
    "hotel_co": {HOTEL_CUSTOMER, ORGANISATION, CHAT_SYSTEM, DATA_SUBJECT},
    "shop_co": {SHOP_CUSTOMER, ORGANISATION, CHAT_SYSTEM, DATA_SUBJECT},
}
# pdftotext marks the runs of right-to-left text it finds with these embedding controls.
_BIDI_EMBEDDING = dict.fromkeys((0x202A, 0x202B, 0x202C))
# PDF names of what a document can do beyond showing text: links out, scripts, images, files.
_LIVE_PDF_NAMES = (b"/URI", b"/Launch", b"/JavaScript", b"/JS", b"/SubmitForm", b"/Image",
                   b"/EmbeddedFile", b"/RichMedia")  # fmt: skip


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The nightly internal pack that `ropa run` wrote, and the regulator's `ropa export`."""
    warehouse = hostile_names_warehouse(tmp_path_factory)
    (nightly,) = (warehouse / "packs").iterdir()
    regulator = tmp_path_factory.mktemp("hostile-names-export") / "pack"
    assert ropa(["export", "--warehouse", str(warehouse), "--out", str(regulator)]) == 0
    return {"internal": nightly, "regulator": regulator}


def _flat(text: str) -> str:
    return "".join(text.split())


def _pdf_text(path: Path) -> str:
    """The PDF's text in drawing order, whitespace removed: a name wrapped in its cell reads as
    one string."""
    return _flat(pdf_text(path, raw=True).translate(_BIDI_EMBEDDING))


def _assert_shown(text: str, names: set[str] | tuple[str, ...], where: str) -> None:
    missing = [name[:60] for name in names if _flat(name) not in text]
    assert missing == [], f"{where} does not show {missing}"


def _assert_long_word_whole(text: str, where: str) -> None:
    """Every occurrence of the 2,000-character word is there in full, wrapped, not cut."""
    occurrences = text.count(LONG_HEAD)
    assert occurrences >= 1 and text.count(LONG_TAIL) == occurrences, where
    middle = re.findall(r"x{20,}", text)
    assert sum(len(run) for run in middle) == occurrences * PORTAL_ACTIVITY.count("x"), where


@pytest.mark.parametrize("audience", ["internal", "regulator"])
def test_record_pdf_shows_every_name_as_text(packs: dict[str, Path], audience: str) -> None:
    text = _pdf_text(packs[audience] / "ropa.pdf")
    _assert_shown(text, SHORT_NAMES, f"{audience} ropa.pdf")
    _assert_long_word_whole(text, f"{audience} ropa.pdf")


def test_contents_page_lists_the_headings_as_text(packs: dict[str, Path]) -> None:
    contents = _flat(
        subprocess.run(
            ["pdftotext", "-f", "2", "-l", "2", "-raw", str(packs["regulator"] / "ropa.pdf"), "-"],
            check=True, capture_output=True, text=True,
        ).stdout.translate(_BIDI_EMBEDDING)
    )  # fmt: skip
    assert "Contents" in contents
    _assert_shown(contents, (HOTEL_CUSTOMER, SHOP_CUSTOMER, LONG_HEAD), "the contents page")


def test_customer_pdfs_show_their_names_as_text(packs: dict[str, Path]) -> None:
    for customer, names in CUSTOMER_NAMES.items():
        text = _pdf_text(packs["regulator"] / "processor" / f"{customer}.pdf")
        _assert_shown(text, names, f"{customer}.pdf")


def test_no_pdf_links_out_runs_anything_or_shows_an_image(packs: dict[str, Path]) -> None:
    pdfs = [path for pack in packs.values() for path in sorted(pack.rglob("*.pdf"))]
    assert len(pdfs) == 6
    for path in pdfs:
        content = path.read_bytes()
        # Names are dictionary keys, outside the streams; a compressed page stream is random
        # bytes that hold "/JS" by chance (it happened).
        dictionaries = re.sub(rb"stream\r?\n.*?endstream", b"", content, flags=re.DOTALL)
        assert [name for name in _LIVE_PDF_NAMES
                if re.search(re.escape(name) + rb"\b", dictionaries)] == [], path.name  # fmt: skip
        # reportlab writes objects uncompressed: every annotation is a link to a page of the
        # document itself (the contents page's entries), never an action.
        annotations = [obj for obj in content.split(b"endobj") if b"/Type /Annot" in obj]
        assert all(b"/Dest" in obj and b"/A " not in obj for obj in annotations), path.name
        urls = subprocess.run(
            ["pdfinfo", "-url", str(path)], check=True, capture_output=True, text=True
        ).stdout
        assert urls.splitlines()[1:] == [], f"{path.name} links to {urls}"
        images = subprocess.run(
            ["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True
        ).stdout
        assert images.splitlines()[2:] == [], f"{path.name} holds images: {images}"


def _cells(path: Path) -> list[Any]:
    workbook = load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    for sheet in workbook.worksheets:
        assert not sheet._images and not sheet._hyperlinks, (path.name, sheet.title)
    return cells


@pytest.mark.parametrize("audience", ["internal", "regulator"])
def test_workbooks_hold_the_names_as_text_never_formulas(
    packs: dict[str, Path], audience: str
) -> None:
    pack = packs[audience]
    for path in sorted(pack.rglob("*.xlsx")):
        cells = _cells(path)
        assert [cell.coordinate for cell in cells if cell.data_type == "f"] == [], path.name
        assert [cell.coordinate for cell in cells if cell.hyperlink is not None] == [], path.name
        texts = {cell.value for cell in cells if isinstance(cell.value, str)}
        expected = CUSTOMER_NAMES.get(path.stem, set(HOSTILE_NAMES))
        missing = [name[:60] for name in expected if not any(name in text for text in texts)]
        assert missing == [], f"{path.name} lacks {missing}"


@pytest.mark.parametrize("audience", ["internal", "regulator"])
def test_csv_fields_are_formula_safe_and_keep_the_names(
    packs: dict[str, Path], audience: str
) -> None:
    fields = []
    for name in ("controller.csv", "processor.csv"):
        with (packs[audience] / name).open(newline="", encoding="utf-8") as handle:
            fields += [field for row in csv.reader(handle) for field in row]
    assert [field for field in fields if reads_as_formula(field)] == []
    # The retention rules' wording is in the workbook and the PDF; the CSVs hold the activities.
    expected = set(HOSTILE_NAMES) - {RULE_BASIS}
    missing = [name[:60] for name in expected if not any(name in field for field in fields)]
    assert missing == []


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in _strings(item)]


def test_ropa_json_keeps_the_names_as_they_are(packs: dict[str, Path]) -> None:
    document = json.loads((packs["regulator"] / "ropa.json").read_text(encoding="utf-8"))
    strings = _strings(document)
    missing = [name[:60] for name in HOSTILE_NAMES if not any(name in text for text in strings)]
    assert missing == []
