"""The results report: ranked agencies by category, counts per band and a chart (the annex the
team proposes to the Standing Committee), in the same typography as the minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ictappraise.io.pdf_followup import ROMAN, report_tables
from ictappraise.io.pdf_fonts import FontSet, document_fonts
from ictappraise.io.pdf_layout import (
    TEXT_WIDTH,
    DashRule,
    Header,
    HeaderBlock,
    PageMarks,
    Styles,
    base_font,
    build_pdf,
    grid_commands,
    long_date,
    make_styles,
    nfc,
    number_line,
    para,
    para_text,
    pdf_bytes,
)
from ictappraise.io.tables import PlainTable

RESULT_HEADER = (
    "Hạng",
    "Đơn vị",
    "Tổng điểm",
    "Điểm tối đa",
    "Xếp loại cơ sở",
    "Hạ bậc, điểm liệt",
    "Xếp loại",
)
RESULT_WIDTHS = tuple(w * mm for w in (14, 46, 16, 15, 17, 28, 24))
BAR_COLOURS = ("#2E7D32", "#1565C0", "#EF6C00", "#C62828")


@dataclass(frozen=True)
class ReportLine:
    """One agency in the ranked table (numbers already formatted)."""

    rank: str
    name: str
    status: str
    total: str
    maximum: str
    base_band: str
    penalties: tuple[str, ...]
    band: str
    final: bool
    #: Minutes signed: a final band not yet signed is marked as not yet official.
    signed: bool = True


@dataclass(frozen=True)
class ReportCategory:
    """One category (Phụ lục) with its thresholds and ranked lines."""

    title: str
    rules: str
    lines: tuple[ReportLine, ...]


@dataclass(frozen=True)
class ReportDoc:
    """Everything printed in the results report."""

    issuer: str
    issuing_unit: str
    place: str
    day: date
    year: int
    categories: tuple[ReportCategory, ...]
    bands: tuple[str, ...]
    count_columns: tuple[str, ...]
    counts: tuple[tuple[str, tuple[int, ...]], ...]
    lead_name: str
    signed: int
    total_agencies: int
    fingerprint: str
    number_suffix: str = "BC/TTĐ"
    attached_to: str = ""
    introduction: tuple[str, ...] = ()
    assessment: tuple[str, ...] = ()
    weaknesses: tuple[str, ...] = ()
    proposals: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    #: Previous years, follow-ups, commendation proposals (sections III…; services.chain_report).
    extra_tables: tuple[PlainTable, ...] = ()

    @property
    def footer(self) -> str:
        """One discreet line: the verification code and what it is for."""
        return f"Mã đối chiếu: {self.fingerprint} (để đối chiếu bản giấy với dữ liệu thẩm định)"

    @property
    def keywords(self) -> tuple[str, ...]:
        return (
            f"Kết quả thẩm định năm {self.year}",
            f"{self.signed}/{self.total_agencies} đơn vị đã ký biên bản",
            f"Mã nội dung: {self.fingerprint}",
        )

    def band_totals(self) -> list[int]:
        """Agencies with a final result per band (the chart's bars)."""
        by_label = dict(self.counts)
        return [by_label.get(band, (0,))[-1] for band in self.bands]


def render_report(doc: ReportDoc, out: str | Path | BinaryIO, fonts: FontSet | None = None) -> int:
    """Write the results report PDF; return its number of pages."""
    fonts = fonts or document_fonts()
    st = make_styles(fonts, cell_size=11)
    title = f"Báo cáo kết quả thẩm định, xếp hạng ứng dụng công nghệ thông tin năm {doc.year}"
    marks = PageMarks(footer=doc.footer)
    return build_pdf(_story(doc, fonts, st), out, fonts, title=title, marks=marks, keywords=doc.keywords)


def report_bytes(doc: ReportDoc, fonts: FontSet | None = None) -> bytes:
    """The report PDF in memory."""
    return pdf_bytes(lambda out: render_report(doc, out, fonts))


#: Phrases a title line must not break inside.
KEEP_TOGETHER = ("công nghệ thông tin", "Mặt trận Tổ quốc", "chính trị - xã hội", "năm ")


def _unbroken(text: str) -> str:
    for phrase in KEEP_TOGETHER:
        text = text.replace(phrase, phrase.replace(" ", "\u00a0"))
    return text


def _story(doc: ReportDoc, fonts: FontSet, st: Styles) -> list[Flowable]:
    def p(text: str, style: ParagraphStyle = st.body) -> Paragraph:
        return para(text, style, fonts)

    header = Header(
        doc.issuer, doc.issuing_unit, number_line("", doc.number_suffix), long_date(doc.place, doc.day)
    )
    story: list[Flowable] = [HeaderBlock(header, fonts), p("BÁO CÁO", st.title)]
    story.append(
        p(
            _unbroken(
                f"Kết quả thẩm định, xếp hạng ứng dụng công nghệ thông tin năm {doc.year} của các cơ quan đảng, "
                "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tỉnh"
            ),
            st.subject,
        )
    )
    if doc.attached_to:
        story.append(p(f"({doc.attached_to})", st.note))
    story += [DashRule(fonts), Spacer(1, 6)]
    story += [p(text) for text in doc.introduction]
    story += [CondPageBreak(40 * mm), p("I. KẾT QUẢ XẾP LOẠI", st.heading)]
    story += [p(f"- {text}") for text in doc.assessment]
    story += [Spacer(1, 3), KeepTogether([_counts_table(doc, fonts, st)]), Spacer(1, 8)]
    story.append(
        KeepTogether([p("Biểu đồ: số đơn vị theo xếp loại (đã xếp loại)", st.heading), _chart(doc, fonts)])
    )
    story += [CondPageBreak(40 * mm), p("II. HẠN CHẾ CHUNG", st.heading)]
    story += [p(f"- {text}") for text in doc.weaknesses]
    # Sections III… of the chain of rounds (previous years, follow-ups, commendation), then proposals.
    story += report_tables(doc.extra_tables, fonts, st, first=3)
    story += [CondPageBreak(40 * mm), p(f"{ROMAN[2 + len(doc.extra_tables)]}. KIẾN NGHỊ", st.heading)]
    story += [p(text) for text in doc.proposals]
    story.append(_closing(doc, fonts, st))
    story += [PageBreak(), p("PHỤ LỤC", st.title)]
    story.append(
        p(
            _unbroken(
                f"Kết quả thẩm định, xếp hạng ứng dụng công nghệ thông tin năm {doc.year} theo nhóm đối tượng"
            ),
            st.subject,
        )
    )
    story += [DashRule(fonts), Spacer(1, 6)]
    for number, category in enumerate(doc.categories, start=1):
        story += [CondPageBreak(45 * mm), p(f"{number}. {category.title}", st.heading)]
        story += [
            p(category.rules, st.body_plain),
            Spacer(1, 3),
            _ranked_table(category, fonts, st),
            Spacer(1, 6),
        ]
    story.append(
        p(
            "Ghi chú: đơn vị chưa chấm đủ tiêu chí hoặc còn xung đột dữ liệu chưa được xếp loại, xếp hạng và "
            "không tính vào các xếp loại; kết quả của đơn vị chưa ký biên bản chưa chính thức; hạng bằng nhau "
            "khi cùng xếp loại và cùng tổng điểm.",
            st.note,
        )
    )
    return story


def _closing(doc: ReportDoc, fonts: FontSet, st: Styles) -> Flowable:
    """Nơi nhận on the left, the lead's signature on the right (HD 36-HD/VPTW)."""
    half = TEXT_WIDTH / 2
    small = ParagraphStyle("recipients", parent=st.cell, fontSize=12, leading=14)
    left: list[Flowable] = [Paragraph(f"<b><i>{para_text('Nơi nhận:', fonts)}</i></b>", small)]
    recipients = list(doc.recipients)
    for index, name in enumerate(recipients):
        end = "." if index == len(recipients) - 1 else ","
        left.append(para(f"- {name}{end}", small, fonts))
    right = [
        Paragraph(para_text("T/M TỔ THẨM ĐỊNH", fonts), st.sign_head),
        Paragraph(para_text("TỔ TRƯỞNG", fonts), st.sign_head),
        Spacer(1, 24 * mm),
        Paragraph(para_text(doc.lead_name or " ", fonts), st.sign_name),
    ]
    style = TableStyle([base_font(fonts), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    table = Table([[left, right]], colWidths=(half, half), splitByRow=0, style=style)
    return KeepTogether([Spacer(1, 10), table])


def _ranked_table(category: ReportCategory, fonts: FontSet, st: Styles) -> LongTable:
    small = ParagraphStyle("small", parent=st.cell_small, fontSize=9.5, leading=11.5)
    data: list[list[object]] = [[para(h, st.cell_head, fonts) for h in RESULT_HEADER]]
    for line in category.lines:
        name = [para(line.name, st.cell, fonts)]
        if line.status:
            name.append(para(line.status, small, fonts, italic=True))
        data.append(
            [
                para(line.rank, st.cell_center, fonts),
                name,
                para(line.total, st.cell_center, fonts),
                para(line.maximum, st.cell_center, fonts),
                para(line.base_band, st.cell_center, fonts),
                para("; ".join(line.penalties), small, fonts),
                para(line.band, st.cell_center, fonts, bold=line.final, italic=not line.final),
            ]
        )
    if not category.lines:
        data.append(["", para("Chưa có đơn vị", st.cell, fonts, italic=True), "", "", "", "", ""])
    # splitInRow=0: an agency's row is never cut across pages, away from its rank and name.
    return LongTable(
        data,
        colWidths=RESULT_WIDTHS,
        repeatRows=1,
        splitInRow=0,
        style=TableStyle([base_font(fonts), *grid_commands()]),
    )


def _counts_table(doc: ReportDoc, fonts: FontSet, st: Styles) -> Table:
    columns = ("Xếp loại", *doc.count_columns)
    first = 40 * mm
    rest = (TEXT_WIDTH - first) / (len(columns) - 1)
    data: list[list[object]] = [[para(c, st.cell_head, fonts) for c in columns]]
    for label, numbers in doc.counts:
        bold = label == "Cộng"
        italic = label.startswith("Trong đó")
        data.append(
            [para(label, st.cell, fonts, bold=bold, italic=italic)]
            + [para(str(n), st.cell_center, fonts, bold=bold, italic=italic) for n in numbers]
        )
    return Table(
        data,
        colWidths=(first,) + (rest,) * (len(columns) - 1),
        style=TableStyle([base_font(fonts), *grid_commands()]),
    )


def _chart(doc: ReportDoc, fonts: FontSet) -> Drawing:
    values = doc.band_totals()
    drawing = Drawing(TEXT_WIDTH, 58 * mm)
    drawing.initialFontName = fonts.regular  # the renderer starts in it, never in Helvetica
    chart = VerticalBarChart()
    chart.x, chart.y = 20 * mm, 12 * mm
    chart.width, chart.height = TEXT_WIDTH - 40 * mm, 40 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = [fonts.clean(nfc(b)) for b in doc.bands]
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = 14  # each bar named under it: not told apart by colour alone
    chart.categoryAxis.labels.dy = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(values + [1]) + 1
    chart.valueAxis.valueStep = max(1, (max(values + [1]) + 4) // 5)
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = 12
    chart.barWidth = 14
    chart.groupSpacing = 14
    for index, colour in enumerate(BAR_COLOURS[: len(values)]):
        chart.bars[(0, index)].fillColor = colors.HexColor(colour)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.bold
    chart.barLabels.fontSize = 14
    chart.barLabels.nudge = 7
    drawing.add(chart)
    caption = fonts.clean(nfc("Số đơn vị"))
    drawing.add(String(2 * mm, 54 * mm, caption, fontName=fonts.italic, fontSize=12))
    return drawing
