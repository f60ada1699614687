"""What the minutes and the results report share: the Party document page, styles, header, tables.

Hướng dẫn 36-HD/VPTW: A4 portrait, margins top 25, bottom 25, left 35, right 15 mm; page
numbers from page 2, centred in the top margin; the header has the issuing body on the left
and "ĐẢNG CỘNG SẢN VIỆT NAM" with a rule and the italic place and date on the right.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from ictappraise.domain.text_safety import sanitize
from ictappraise.io.pdf_fonts import FontSet

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_TOP = 25 * mm
MARGIN_BOTTOM = 25 * mm
MARGIN_LEFT = 35 * mm
MARGIN_RIGHT = 15 * mm
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

NUMBER_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín", "mười")


def nfc(text: object) -> str:
    """Unicode NFC text (what Vietnamese keyboards may not produce), control characters shown as U+FFFD."""
    return sanitize(unicodedata.normalize("NFC", str(text or "")))


def para_text(text: object, fonts: FontSet) -> str:
    """Plain text made safe for a reportlab Paragraph (escaped, NFC, line breaks kept)."""
    return escape(fonts.clean(nfc(text))).replace("\n", "<br/>")


def body_dates(text: str) -> str:
    """ "23/11/2021" → "23-11-2021": how Party documents cite a date in the body."""
    return re.sub(
        r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", lambda m: f"{int(m[1]):02d}-{int(m[2]):02d}-{m[3]}", text
    )


def long_date(place: str, day: date | None) -> str:
    """ "Phan Thiết, ngày 09 tháng 12 năm 2022" (dots to fill by hand when the date is unknown)."""
    if day is None:
        return f"{place}, ngày …… tháng …… năm ……"
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def copies_text(count: int) -> str:
    """ "02 (hai)" for 2 — how a clerk writes a number of copies."""
    word = NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)
    return f"{count:02d} ({word})"


def clock_text(hhmm: str) -> str:
    """ "08 giờ 00 phút" from "08:00"; dots when unknown."""
    parts = (hhmm or "").strip().replace("h", ":").split(":")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
        return f"{int(parts[0]):02d} giờ {int(parts[1]):02d} phút"
    return "…… giờ …… phút"


@dataclass(frozen=True)
class Styles:
    """Paragraph styles of one font set."""

    body: ParagraphStyle
    body_plain: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    subject: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_small: ParagraphStyle
    sign_head: ParagraphStyle
    sign_text: ParagraphStyle
    sign_name: ParagraphStyle
    note: ParagraphStyle


def make_styles(fonts: FontSet, *, body_size: float = 14, cell_size: float = 12) -> Styles:
    """Body 14 pt justified with a first-line indent; table cells 12 pt."""
    body = ParagraphStyle(
        "body",
        fontName=fonts.regular,
        fontSize=body_size,
        leading=body_size * 1.3,
        alignment=TA_JUSTIFY,
        firstLineIndent=10 * mm,
        spaceAfter=6,  # 6 pt between paragraphs, as Party documents are typed
    )
    cell = ParagraphStyle("cell", fontName=fonts.regular, fontSize=cell_size, leading=cell_size * 1.18)
    center = ParagraphStyle("sign", parent=body, alignment=TA_CENTER, firstLineIndent=0, spaceAfter=0)
    return Styles(
        body=body,
        body_plain=ParagraphStyle("plain", parent=body, firstLineIndent=0),
        heading=ParagraphStyle("heading", parent=body, fontName=fonts.bold, firstLineIndent=0, spaceBefore=4),
        title=ParagraphStyle(
            "title", parent=center, fontName=fonts.bold, fontSize=15, leading=20, spaceBefore=14
        ),
        subject=ParagraphStyle("subject", parent=center, fontName=fonts.bold, leading=18),
        cell=cell,
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_CENTER),
        cell_head=ParagraphStyle(
            "cell_head", parent=cell, fontName=fonts.bold, fontSize=cell_size - 1, alignment=TA_CENTER
        ),
        cell_small=ParagraphStyle(
            "cell_small",
            parent=cell,
            fontSize=cell_size - 1,
            leading=(cell_size - 1) * 1.18,
            alignment=TA_LEFT,
        ),
        sign_head=ParagraphStyle("sign_head", parent=center, fontName=fonts.bold, leading=18),
        sign_text=ParagraphStyle("sign_text", parent=center, leading=18),
        sign_name=ParagraphStyle("sign_name", parent=center, fontName=fonts.bold, leading=18),
        note=ParagraphStyle("note", parent=center, fontName=fonts.italic, fontSize=12, leading=15),
    )


def para(
    text: object, style: ParagraphStyle, fonts: FontSet, *, bold: bool = False, italic: bool = False
) -> Paragraph:
    """Plain text as a Paragraph in a style, optionally all bold or all italic."""
    markup = para_text(text, fonts)
    if bold:
        markup = f"<b>{markup}</b>"
    if italic:
        markup = f"<i>{markup}</i>"
    return Paragraph(markup, style)


def base_font(fonts: FontSet) -> tuple[object, ...]:
    """A table's cells in our font: reportlab's default (Helvetica) is never embedded."""
    return ("FONTNAME", (0, 0), (-1, -1), fonts.regular)


def grid_commands(header_rows: int = 1) -> list[tuple[object, ...]]:
    """TableStyle commands of a ruled table: black grid, cells centred vertically, grey header rows."""
    return [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EEEEEE")),
    ]


@dataclass(frozen=True)
class Header:
    """The header block: issuing body on the left, the Party title and date on the right."""

    issuer: str
    issuing_unit: str
    number_line: str
    place_date: str


def number_line(number: str, suffix: str) -> str:
    """ "Số 12-BB/VPTU", or dots to fill by hand when the number is not given yet."""
    number = (number or "").strip()
    suffix = (suffix or "").strip()
    if number and "/" in number:
        return f"Số {number}"
    return f"Số {number or '……'}-{suffix}" if suffix else f"Số {number or '……'}"


class HeaderBlock(Flowable):
    """Drawn directly so the two columns line up exactly as in the Party template."""

    LEFT_WIDTH = 75 * mm

    def __init__(self, header: Header, fonts: FontSet) -> None:
        super().__init__()
        self.header = header
        self.fonts = fonts
        self.height_needed = 32 * mm

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height_needed

    def _centred(self, text: str, font: str, size: float, x: float, y: float, width: float) -> float:
        text = self.fonts.clean(nfc(text))
        while size > 8 and stringWidth(text, font, size) > width:
            size -= 0.5  # a long unit name shrinks rather than running into the other column
        self.canv.setFont(font, size)
        self.canv.drawCentredString(x, y, text)
        return float(stringWidth(text, font, size))

    def draw(self) -> None:
        top = self.height_needed
        left_x = self.LEFT_WIDTH / 2
        right_w = self.width - self.LEFT_WIDTH
        right_x = self.LEFT_WIDTH + right_w / 2
        f = self.fonts
        line1, line2 = top - 14, top - 30
        self._centred(self.header.issuer.upper(), f.regular, 14, left_x, line1, self.LEFT_WIDTH)
        self._centred(self.header.issuing_unit.upper(), f.bold, 14, left_x, line2, self.LEFT_WIDTH)
        self._centred("*", f.regular, 14, left_x, line2 - 16, self.LEFT_WIDTH)
        party = self._centred("ĐẢNG CỘNG SẢN VIỆT NAM", f.bold, 15, right_x, line1, right_w)
        self.canv.setLineWidth(0.6)
        self.canv.line(right_x - party / 2, line1 - 4, right_x + party / 2, line1 - 4)
        base = line2 - 34
        self._centred(self.header.number_line, f.regular, 14, left_x, base, self.LEFT_WIDTH)
        self._centred(self.header.place_date, f.italic, 14, right_x, base, right_w)


class TitleRule(Flowable):
    """The short centred rule under a document's title."""

    def __init__(self, length: float = 30 * mm) -> None:
        super().__init__()
        self.length = length

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, 10

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        middle = self.width / 2
        self.canv.line(middle - self.length / 2, 4, middle + self.length / 2, 4)


class DashRule(Flowable):
    """The short dashed line "-----" under a trích yếu, centred (HD 36-HD/VPTW)."""

    def __init__(self, fonts: FontSet, size: float = 14) -> None:
        super().__init__()
        self.fonts = fonts
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.size + 2

    def draw(self) -> None:
        self.canv.setFont(self.fonts.regular, self.size)
        self.canv.drawCentredString(self.width / 2, 4, "-----")


@dataclass(frozen=True)
class PageMarks:
    """What every page carries besides the text: number, footer line, draft mark."""

    footer: str = ""
    draft: str = ""


def _decorate(canvas: Canvas, doc: BaseDocTemplate, marks: PageMarks, fonts: FontSet) -> None:
    canvas.saveState()
    page = canvas.getPageNumber()
    if page >= 2:
        canvas.setFont(fonts.regular, 13)
        canvas.drawCentredString(MARGIN_LEFT + TEXT_WIDTH / 2, PAGE_HEIGHT - 15 * mm, str(page))
    if marks.footer:
        canvas.setFont(fonts.italic, 9)
        canvas.setFillColor(colors.HexColor("#444444"))
        canvas.drawCentredString(MARGIN_LEFT + TEXT_WIDTH / 2, 13 * mm, fonts.clean(nfc(marks.footer)))
    if marks.draft:
        # Light and diagonal, behind nothing important: the page stays readable but no one
        # can mistake a draft for the minutes both sides signed.
        canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.18))
        canvas.setFont(fonts.bold, 90)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -30, fonts.clean(nfc(marks.draft)))
    canvas.restoreState()


def build_pdf(
    story: Sequence[Flowable],
    out: str | Path | BinaryIO,
    fonts: FontSet,
    *,
    title: str,
    subject: str = "",
    marks: PageMarks = PageMarks(),
    on_page: Callable[[Canvas, BaseDocTemplate], None] | None = None,
    invariant: bool = False,
    keywords: Sequence[str] = (),
) -> int:
    """Lay the story out on Party-format A4 pages; return the number of pages."""
    target: str | BinaryIO = str(out) if isinstance(out, Path) else out
    doc = BaseDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=nfc(title),
        subject=nfc(subject),
        author="Tổ thẩm định",
        creator="ictappraise",
        lang="vi-VN",
        invariant=1 if invariant else 0,
        keywords=[nfc(k) for k in keywords],
        # reportlab opens every page in Helvetica, a font never embedded: start in ours instead.
        initialFontName=fonts.regular,
    )
    frame = Frame(
        MARGIN_LEFT, MARGIN_BOTTOM, TEXT_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, 0, 0, 0, 0
    )

    def decorate(canvas: Canvas, document: BaseDocTemplate) -> None:
        _decorate(canvas, document, marks, fonts)
        if on_page is not None:
            on_page(canvas, document)

    doc.addPageTemplates([PageTemplate("page", [frame], onPage=decorate)])
    doc.build(list(story))
    return int(doc.page)


def pdf_bytes(build: Callable[[BinaryIO], object]) -> bytes:
    """Run a builder into memory and return the PDF."""
    buffer = BytesIO()
    build(buffer)
    return buffer.getvalue()
