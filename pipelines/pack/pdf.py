"""ropa.pdf: the record, printable: cover, contents, one section per activity, then the tables.

Landscape A4, because the recipient, transfer and retention tables are wide; every column of the
workbook is here (`tables.py` defines both), and every table repeats its heading row on each
page. Text is set in an embedded TrueType font so that names outside Latin-1 (and the `→` of
transfer keys) survive. Every text from the register goes through `_markup`, which escapes `<`,
`>` and `&`, so that no name is read as Paragraph markup (the contents page included).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from pipelines.pack.ico import yes_no
from pipelines.pack.identity import PackIdentity
from pipelines.pack.record import Register, Row, contact_rows
from pipelines.pack.tables import (
    RecordTable,
    audience_note,
    controller_table,
    customer_facts,
    customers,
    findings_table,
    notes_rows,
    processor_contacts,
    processor_table,
    section_table,
)

_PAGE = landscape(A4)
_MARGIN = 15 * mm
_WIDTH = _PAGE[0] - 2 * _MARGIN
_EMPTY = "—"
_CELL_PADDING = 14  # reportlab's default 6 pt left and right, plus room for rounding
_MAX_WORD_WIDTH = 50  # longer words (keys, URLs) wrap rather than squeeze the other columns

# DejaVu (Debian's fonts-dejavu) covers far more than Latin-1; reportlab's bundled Vera is the
# fallback that is always there.
_FONT_CANDIDATES: tuple[tuple[Path, Path], ...] = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
)


def write_pdf(register: Register, identity: PackIdentity, path: Path) -> None:
    """The whole record: every column of every sheet of ropa.xlsx (the Notes as a section)."""
    font, bold = _register_fonts()
    styles = _Styles(font, bold)
    document = _RecordDocument(path, register, identity, font)
    numbered = [
        (f"{number}. {title}", section, definition)
        for number, (title, section, definition) in enumerate(
            (
                ("Recipients and processors", "recipients", "recipient"),
                ("Transfers to third countries", "transfers", "transfer"),
                ("Retention schedule", "retention_schedule", "retention_rule"),
            ),
            start=3,
        )
    ]
    story: list[Flowable] = [
        *_cover(register, identity, styles),
        PageBreak(),
        Paragraph("Contents", styles.title),
        _contents(styles),
        PageBreak(),
        *_controller_section(register, styles),
        PageBreak(),
        *_processor_section(register, styles),
        PageBreak(),
    ]
    for title, section, definition in numbered:
        story += _table_section(title, section_table(register, section, definition), styles)
    if register.findings is not None:
        story += _findings_section(register.findings, styles)
    story += [PageBreak(), *_notes_section(register, identity, styles)]
    document.multiBuild(story)


def write_customer_pdf(
    register: Register, identity: PackIdentity, rows: list[Row], path: Path
) -> None:
    """One customer's Art. 30(2) record: processor and DPO contacts, the customer's contact, and
    the processing done on its behalf, nothing else of the register."""
    font, bold = _register_fonts()
    styles = _Styles(font, bold)
    customer = rows[0]
    document = _RecordDocument(path, register, identity, font, about=customer.get("customer_name"))
    contacts = [["", "Name", "Address", "Email", "Telephone"], *processor_contacts(customer)]
    table = processor_table(register, rows, for_one_customer=True)
    story: list[Flowable] = [
        Paragraph("Record of processing activities: processor (GDPR Art. 30(2))", styles.title),
        Paragraph(
            _text(f"Processing carried out on behalf of {customer.get('customer_name')}"),
            styles.subtitle,
        ),
        Paragraph(
            _text(f"Evaluation date {register.as_of} · pack {identity.pack_id}"), styles.body
        ),
        Spacer(1, 6 * mm),
        _table(contacts, styles, weights=(1.2, 1.5, 2.5, 2, 1.3)),
        Spacer(1, 4 * mm),
        _table(customer_facts(register, customer), styles, weights=(1, 4), header=False),
        Spacer(1, 4 * mm),
        _table([table.headings, *table.rows], styles),
    ]
    document.build(story)


class _Styles:
    def __init__(self, font: str, bold: str) -> None:
        base = getSampleStyleSheet()
        self.body = ParagraphStyle("body", base["BodyText"], fontName=font, fontSize=9, leading=11)
        self.cell = ParagraphStyle("cell", self.body, fontSize=7.5, leading=9)
        self.cell_heading = ParagraphStyle("cell_heading", self.cell, fontName=bold)
        self.title = ParagraphStyle("title", base["Title"], fontName=bold, fontSize=22, leading=28)
        self.subtitle = ParagraphStyle("subtitle", self.body, fontSize=14, leading=18)
        # The TOC picks up paragraphs by these two style names (see _RecordDocument).
        self.heading1 = ParagraphStyle("heading1", base["Heading1"], fontName=bold, fontSize=16)
        self.heading2 = ParagraphStyle("heading2", base["Heading2"], fontName=bold, fontSize=12)
        self.toc_levels = [
            ParagraphStyle("toc1", self.body, fontName=bold, fontSize=10, leftIndent=0),
            ParagraphStyle("toc2", self.body, fontSize=9, leftIndent=14),
        ]


class _RecordDocument(BaseDocTemplate):
    """Adds a TOC entry and a PDF bookmark for every heading, and the footer on every page."""

    def __init__(
        self,
        path: Path,
        register: Register,
        identity: PackIdentity,
        font: str,
        about: str | None = None,
    ) -> None:
        name = str(register.organization["name"])
        for_whom = f" for {about}" if about else ""
        super().__init__(
            str(path),
            pagesize=_PAGE,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=_MARGIN,
            title=f"Record of processing activities: {name}{for_whom}",
            author=name,
            subject=f"GDPR Art. 30 record as of {register.as_of}, pack {identity.pack_id}",
        )
        self._footer = (
            f"{name} · Record of processing activities{for_whom} · "
            f"as of {register.as_of} · pack {identity.pack_id}"
        )
        self._font = font
        frame = Frame(_MARGIN, _MARGIN, _WIDTH, _PAGE[1] - 2 * _MARGIN, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._draw_footer)])
        self._headings = 0

    def _draw_footer(self, canvas: Canvas, _document: BaseDocTemplate) -> None:
        # drawString takes plain text, never markup: the names in it stay inert.
        canvas.saveState()
        canvas.setFont(self._font, 7)
        canvas.drawString(_MARGIN, _MARGIN / 2, self._footer)
        canvas.drawRightString(_PAGE[0] - _MARGIN, _MARGIN / 2, f"page {canvas.getPageNumber()}")
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Paragraph):
            return
        level = {"heading1": 0, "heading2": 1}.get(flowable.style.name)
        if level is None:
            return
        self._headings += 1
        key = f"heading-{self._headings}"
        text = flowable.getPlainText()
        self.canv.bookmarkPage(key)
        # The outline takes plain text; the contents page sets its entries as Paragraph markup,
        # so the heading's text (a name from the register) is escaped again for it.
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, _markup(text), self.page, key))

    def handle_documentBegin(self) -> None:
        # multiBuild lays the story out several times; keys must repeat identically each pass.
        self._headings = 0
        super().handle_documentBegin()


def _cover(register: Register, identity: PackIdentity, styles: _Styles) -> list[Flowable]:
    organization = register.organization
    facts = [
        ["Evaluation date", register.as_of],
        ["Pack", identity.pack_id],
        ["Copy", audience_note(register)],
        ["Version", str(identity.version)],
        ["Previous pack", identity.previous_pack_id or "none (first pack)"],
        ["Created", identity.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")],
        ["Drop fingerprint", register.drop_fingerprint],
        ["Signing key fingerprint", identity.signing_key_fingerprint],
    ]
    contacts = [["", "Name", "Address", "Email", "Telephone"], *contact_rows(organization)]
    return [
        Spacer(1, 20 * mm),
        Paragraph("Record of processing activities", styles.title),
        Paragraph("GDPR Article 30(1) and 30(2)", styles.subtitle),
        Spacer(1, 8 * mm),
        Paragraph(_text(organization["name"]), styles.title),
        Paragraph(_text(organization.get("description")), styles.body),
        Spacer(1, 8 * mm),
        _table(contacts, styles, weights=(1.2, 1.5, 2.5, 2, 1.3)),
        Spacer(1, 6 * mm),
        _table(facts, styles, weights=(1, 4), header=False),
    ]


def _contents(styles: _Styles) -> TableOfContents:
    contents = TableOfContents()
    contents.levelStyles = styles.toc_levels
    return contents


def _controller_section(register: Register, styles: _Styles) -> list[Flowable]:
    """One Field/Value table per activity: the Controller sheet's columns, in its order."""
    table = controller_table(register)
    story: list[Flowable] = [
        Paragraph("1. Processing activities as controller (Art. 30(1))", styles.heading1)
    ]
    if not register.controller_activities:
        story.append(Paragraph("The register declares no processing as controller.", styles.body))
    for activity, values in zip(register.controller_activities, table.rows, strict=True):
        title = activity.get("activity_name") or activity.get("purpose_name") or "Activity"
        story.append(Paragraph(_text(f"{title} ({activity.get('system_name')})"), styles.heading2))
        rows = [["Field", "Value"], *([label, value] for label, value in zip(
            table.headings, values, strict=True
        ))]  # fmt: skip
        story.append(_table(rows, styles, weights=(1.3, 4)))
    return story


def _processor_section(register: Register, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(
            "2. Processing on behalf of customers as processor (Art. 30(2))", styles.heading1
        ),
        Paragraph(
            _text(
                f"Processor: {register.organization['name']}; its DPO and representative are "
                "those on the cover page. Each customer's record alone is in processor/."
            ),
            styles.body,
        ),
    ]
    by_customer = customers(register)
    if not by_customer:
        story.append(Paragraph("The register declares no processing as processor.", styles.body))
    for rows in by_customer.values():
        customer = rows[0]
        story.append(
            Paragraph(
                _text(customer.get("customer_name") or "Customer without a name"), styles.heading2
            )
        )
        story.append(_table(customer_facts(register, customer), styles, weights=(1, 4),
                            header=False))  # fmt: skip
        story.append(Spacer(1, 2 * mm))
        table = processor_table(register, rows, for_one_customer=True)
        story.append(_table([table.headings, *table.rows], styles))
    return story


def _table_section(title: str, table: RecordTable, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(_text(title), styles.heading1)]
    if not table.rows:
        # The headings still show, so that the PDF names every column the workbook has.
        return [*story, _table([table.headings], styles), Paragraph("None.", styles.body)]
    return [*story, _table([table.headings, *table.rows], styles)]


def _findings_section(findings: dict[str, Any], styles: _Styles) -> list[Flowable]:
    """Internal copy only: the audit's findings, as the Findings sheet lists them."""
    table = findings_table(findings)
    by_severity: dict[str, int] = defaultdict(int)
    for row in table.rows:
        by_severity[str(row[1])] += 1
    summary = ", ".join(f"{count} {severity}" for severity, count in sorted(by_severity.items()))
    story: list[Flowable] = [
        Paragraph("6. Audit findings (internal)", styles.heading1),
        Paragraph(
            _text(
                f"{len(table.rows)} findings as of {findings.get('as_of')}"
                + (f" ({summary})" if summary else "")
                + ". The full list is in findings.json."
            ),
            styles.body,
        ),
    ]
    if table.rows:
        story.append(_table([table.headings, *table.rows], styles, weights=(2, 1, 3, 1, 5)))
    return story


def _notes_section(register: Register, identity: PackIdentity, styles: _Styles) -> list[Flowable]:
    return [
        Paragraph("How this record was made", styles.heading1),
        _table(notes_rows(register, identity), styles, weights=(1, 5), header=False),
    ]


def _table(
    rows: Sequence[Sequence[Any]],
    styles: _Styles,
    weights: Sequence[float] | None = None,
    header: bool = True,
) -> Table:
    """A full-width table of wrapped cells; the first row is a repeated heading when `header`."""
    if weights:
        widths = [_WIDTH * weight / sum(weights) for weight in weights]
    else:
        widths = _content_widths(rows, styles.cell_heading)
    heading = rows[0] if header else None
    body = rows[1:] if header else rows
    cells = [[_CellParagraph(_text(value), styles.cell) for value in row] for row in body]
    if heading is not None:
        cells.insert(
            0, [_CellParagraph(_markup(str(value or "")), styles.cell_heading) for value in heading]
        )
    # splitInRow: one recipient can receive data from many activities, a cell taller than a page.
    table = Table(cells, colWidths=widths, repeatRows=1 if header else 0, splitInRow=1)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")))
    table.setStyle(TableStyle(commands))
    return table


class _CellParagraph(Paragraph):
    """A table cell that keeps its lines for the width it was last laid out at.

    multiBuild lays the record out three times (contents, page numbers, the saved pass) and a
    table wraps each cell once more to draw it: the same lines, worked out over and over, were
    most of the pack's time. The lines depend on text, style and width alone, so they are kept,
    except in a cell that broke a word too long for its column (or hyphenated): reportlab's
    word breaking leaves the paragraph changed and each later wrap writes its lines a little
    differently (invisible whitespace), so those are wrapped every time, as before, and the
    file keeps its bytes. A split, which may edit or drop the lines, forgets them.
    """

    _KEPT = ("width", "height", "blPara", "_wrapWidths", "_width_max",
             "_splitLongWordCount", "_hyphenations")  # fmt: skip

    _kept_width: float | None = None
    _kept: tuple[Any, ...] = ()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth == self._kept_width:
            for name, value in zip(self._KEPT, self._kept, strict=True):
                setattr(self, name, value)
            return self.width, self.height
        earlier_lines = getattr(self, "blPara", None)
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        # No new lines: too narrow to wrap at all, nothing to keep.
        laid_out = getattr(self, "blPara", None) is not earlier_lines
        broke_words = getattr(self, "_splitLongWordCount", 1) or getattr(self, "_hyphenations", 1)
        if laid_out and not broke_words:
            self._kept_width = availWidth
            self._kept = tuple(getattr(self, name) for name in self._KEPT)
        else:
            self._kept_width = None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._kept_width = None
        parts: list[Flowable] = super().split(availWidth, availHeight)
        return parts


def _content_widths(rows: Sequence[Sequence[Any]], style: ParagraphStyle) -> list[float]:
    """Each column first gets its longest word (so "Records" is not broken), capped; what is left
    goes to the columns in proportion to their average text, so long lists get the room."""
    floors, weights = [], []
    for column in range(len(rows[0])):
        texts = [str(row[column] or "") for row in rows]
        longest_word = max(
            (
                stringWidth(word, style.fontName, style.fontSize)
                for text in texts
                for word in text.split()
            ),
            default=0.0,
        )
        floors.append(min(longest_word, _MAX_WORD_WIDTH) + _CELL_PADDING)
        weights.append(sum(len(text) for text in texts) / len(texts) + 1)
    spare = _WIDTH - sum(floors)
    if spare <= 0:
        return [_WIDTH * floor / sum(floors) for floor in floors]
    return [
        floor + spare * weight / sum(weights) for floor, weight in zip(floors, weights, strict=True)
    ]


def _text(value: Any) -> str:
    """A value as Paragraph markup: escaped, line breaks kept, empty as a dash."""
    if isinstance(value, bool):
        value = yes_no(value)
    if value is None or value == "":
        return _EMPTY
    return _markup(str(value))


def _markup(text: str) -> str:
    """Plain text as Paragraph markup, the one way text enters it: `<`, `>`, `&` escaped (so no
    name is read as a tag, a link or an image), line breaks kept."""
    return escape(text).replace("\n", "<br/>")


def _register_fonts() -> tuple[str, str]:
    """Register the body and bold fonts once per process; returns their names."""
    if "RecordSans" in pdfmetrics.getRegisteredFontNames():
        return "RecordSans", "RecordSans-Bold"
    regular, bold = next(
        (pair for pair in _FONT_CANDIDATES if pair[0].exists() and pair[1].exists()),
        ("Vera.ttf", "VeraBd.ttf"),  # found on reportlab's own font path
    )
    pdfmetrics.registerFont(_MeasuredFont("RecordSans", str(regular)))
    pdfmetrics.registerFont(_MeasuredFont("RecordSans-Bold", str(bold)))
    return "RecordSans", "RecordSans-Bold"


class _MeasuredFont(TTFont):
    """A TrueType font that remembers the widths it measured (a width depends on the text and
    size alone): the layout measures the same words, and each letter of a broken word, again and
    again; reportlab's own measuring adds up the letters' widths one by one in Python."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._measured = functools.lru_cache(maxsize=1 << 16)(super().stringWidth)

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        width: float = self._measured(text, size, encoding)
        return width
