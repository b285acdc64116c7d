"""ropa.pdf: the record, printable: cover, contents, one section per activity, then the tables.

Landscape A4, because the recipient, transfer and retention tables are wide. Text is set in an
embedded TrueType font so that names outside Latin-1 (and the `→` of transfer keys) survive.
"""

from __future__ import annotations

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
from pipelines.pack.record import Register, Row, contact_rows, fields, is_own_contact

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

# Columns of the processor, recipient, transfer and retention tables; labels come from the schema.
_PROCESSOR_COLUMNS = (
    "system_name",
    "processing_categories",
    "personal_data_categories",
    "data_subject_categories",
    "sub_processors",
    "third_countries",
    "transfer_safeguards",
    "security_measures",
    "retention_period_text",
)
_RECIPIENT_COLUMNS = (
    "legal_name",
    "recipient_category",
    "role",
    "country_name",
    "transfer_mechanism",
    "dpa_signed_on",
    "dpa_expires_on",
    "tia_completed_on",
    "activities",
    "data_categories",
)
_TRANSFER_COLUMNS = (
    "system_key",
    "vendor_name",
    "country_name",
    "adequacy_scope",
    "transfer_mechanism",
    "safeguard",
    "is_safeguarded",
    "tia_completed_on",
    "data_categories",
)
_RETENTION_COLUMNS = (
    "rule_key",
    "system_key",
    "record_type",
    "anchor",
    "period",
    "period_source",
    "action",
    "basis",
    "records",
    "records_overdue",
    "records_on_legal_hold",
    "records_due_within_30_days",
    "next_deadline_on",
)


def write_pdf(register: Register, identity: PackIdentity, path: Path) -> None:
    font, bold = _register_fonts()
    styles = _Styles(font, bold)
    document = _RecordDocument(path, register, identity, font)
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
        *_table_section(
            "3. Recipients and processors", register.sections["recipients"], "recipient",
            _RECIPIENT_COLUMNS, styles,
        ),
        *_table_section(
            "4. Transfers to third countries", register.sections["transfers"], "transfer",
            _TRANSFER_COLUMNS, styles,
        ),
        *_table_section(
            "5. Retention schedule", register.sections["retention_schedule"], "retention_rule",
            _RETENTION_COLUMNS, styles,
        ),
        *_findings_section(register.findings, styles),
    ]  # fmt: skip
    document.multiBuild(story)


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

    def __init__(self, path: Path, register: Register, identity: PackIdentity, font: str) -> None:
        super().__init__(
            str(path),
            pagesize=_PAGE,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=_MARGIN,
            title=f"Record of processing activities: {register.organization['name']}",
            author=str(register.organization["name"]),
            subject=f"GDPR Art. 30 record as of {register.as_of}, pack {identity.pack_id}",
        )
        self._footer = (
            f"{register.organization['name']} · Record of processing activities · "
            f"as of {register.as_of} · pack {identity.pack_id}"
        )
        self._font = font
        frame = Frame(_MARGIN, _MARGIN, _WIDTH, _PAGE[1] - 2 * _MARGIN, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._draw_footer)])
        self._headings = 0

    def _draw_footer(self, canvas: Canvas, _document: BaseDocTemplate) -> None:
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
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text, self.page, key))

    def handle_documentBegin(self) -> None:
        # multiBuild lays the story out several times; keys must repeat identically each pass.
        self._headings = 0
        super().handle_documentBegin()


def _cover(register: Register, identity: PackIdentity, styles: _Styles) -> list[Flowable]:
    organization = register.organization
    facts = [
        ["Evaluation date", register.as_of],
        ["Pack", identity.pack_id],
        ["Version", str(identity.version)],
        ["Previous pack", identity.previous_pack_id or "none (first pack)"],
        ["Created", identity.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")],
        ["Drop fingerprint", register.drop_fingerprint],
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
    labels = {
        name: label
        for name, label in fields("controller_activity").items()
        if not is_own_contact(name)  # shown once, on the cover
    }
    story: list[Flowable] = [
        Paragraph("1. Processing activities as controller (Art. 30(1))", styles.heading1)
    ]
    if not register.controller_activities:
        story.append(Paragraph("The register declares no processing as controller.", styles.body))
    for activity in register.controller_activities:
        title = f"{activity.get('activity_name') or activity['activity_key']}"
        story.append(Paragraph(_text(f"{title} ({activity.get('system_name')})"), styles.heading2))
        rows = [["Field", "Value"], *([label, activity[name]] for name, label in labels.items())]
        story.append(_table(rows, styles, weights=(1, 4)))
    return story


def _processor_section(register: Register, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(
            "2. Processing on behalf of customers as processor (Art. 30(2))", styles.heading1
        ),
        Paragraph(
            _text(
                f"Processor: {register.organization['name']}; its DPO and representative are "
                "those on the cover page."
            ),
            styles.body,
        ),
    ]
    by_customer: dict[str, list[Row]] = defaultdict(list)
    for row in register.processor_activities:
        by_customer[row["customer_key"]].append(row)
    if not by_customer:
        story.append(Paragraph("The register declares no processing as processor.", styles.body))
    labels = fields("processor_activity")
    for activities in by_customer.values():
        customer = activities[0]
        story.append(
            Paragraph(
                _text(customer.get("customer_name") or customer["customer_key"]), styles.heading2
            )
        )
        about = (
            f"Controller ({customer.get('customer_country') or _EMPTY}), privacy contact "
            f"{customer.get('customer_contact_email') or _EMPTY}; status "
            f"{customer.get('customer_status') or _EMPTY}; DPA signed on "
            f"{customer.get('customer_dpa_signed_on') or 'not recorded'}; retention setting "
            f"{_days(customer.get('customer_retention_days'))}."
        )
        story.append(Paragraph(_text(about), styles.body))
        rows = [[labels[name] for name in _PROCESSOR_COLUMNS]]
        rows += [[activity[name] for name in _PROCESSOR_COLUMNS] for activity in activities]
        story.append(_table(rows, styles))
    return story


def _table_section(
    title: str,
    records: list[Row],
    definition: str,
    columns: Sequence[str],
    styles: _Styles,
) -> list[Flowable]:
    labels = fields(definition)
    story: list[Flowable] = [Paragraph(_text(title), styles.heading1)]
    if not records:
        return [*story, Paragraph("None.", styles.body)]
    rows = [
        [labels[name] for name in columns],
        *([row[name] for name in columns] for row in records),
    ]
    return [*story, _table(rows, styles)]


def _findings_section(findings: dict[str, Any], styles: _Styles) -> list[Flowable]:
    items: list[dict[str, Any]] = list(findings.get("findings", []))
    by_severity: dict[str, int] = defaultdict(int)
    for item in items:
        by_severity[str(item["severity"])] += 1
    summary = ", ".join(f"{count} {severity}" for severity, count in sorted(by_severity.items()))
    story: list[Flowable] = [
        Paragraph("6. Audit findings", styles.heading1),
        Paragraph(
            _text(
                f"{len(items)} findings as of {findings.get('as_of')}"
                + (f" ({summary})" if summary else "")
                + ". The full list is in findings.json."
            ),
            styles.body,
        ),
    ]
    if items:
        rows: list[list[Any]] = [["Check", "Severity", "Subject", "Count", "Message"]]
        rows += [
            [
                item["check"],
                item["severity"],
                ", ".join(f"{key}: {value}" for key, value in item["subject"].items()),
                item["count"],
                item.get("message"),
            ]
            for item in items
        ]
        story.append(_table(rows, styles, weights=(2, 1, 3, 1, 5)))
    return story


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
    cells = [[Paragraph(_text(value), styles.cell) for value in row] for row in body]
    if heading is not None:
        cells.insert(0, [Paragraph(escape(str(value)), styles.cell_heading) for value in heading])
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
    return escape(str(value)).replace("\n", "<br/>")


def _days(value: Any) -> str:
    return "not set" if value is None else f"{value} days"


def _register_fonts() -> tuple[str, str]:
    """Register the body and bold fonts once per process; returns their names."""
    if "RecordSans" in pdfmetrics.getRegisteredFontNames():
        return "RecordSans", "RecordSans-Bold"
    regular, bold = next(
        (pair for pair in _FONT_CANDIDATES if pair[0].exists() and pair[1].exists()),
        ("Vera.ttf", "VeraBd.ttf"),  # found on reportlab's own font path
    )
    pdfmetrics.registerFont(TTFont("RecordSans", str(regular)))
    pdfmetrics.registerFont(TTFont("RecordSans-Bold", str(bold)))
    return "RecordSans", "RecordSans-Bold"
