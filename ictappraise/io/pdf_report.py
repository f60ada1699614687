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
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ictappraise.io.pdf_followup import report_tables
from ictappraise.io.pdf_fonts import FontSet, document_fonts
from ictappraise.io.pdf_layout import (
    TEXT_WIDTH,
    Header,
    HeaderBlock,
    PageMarks,
    Styles,
    TitleRule,
    build_pdf,
    grid_commands,
    long_date,
    make_styles,
    nfc,
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
RESULT_WIDTHS = tuple(w * mm for w in (12, 50, 17, 15, 18, 30, 18))
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
    #: Previous years, follow-ups, commendation proposals (sections III…; services.chain_report).
    extra_tables: tuple[PlainTable, ...] = ()

    @property
    def footer(self) -> str:
        return (
            f"Kết quả thẩm định năm {self.year} · lập ngày {self.day.strftime('%d/%m/%Y')} · "
            f"{self.signed}/{self.total_agencies} đơn vị đã ký biên bản · Mã nội dung: {self.fingerprint}"
        )

    def band_totals(self) -> list[int]:
        """Agencies with a final result per band (the chart's bars)."""
        by_label = dict(self.counts)
        return [by_label.get(band, (0,))[-1] for band in self.bands]


def render_report(doc: ReportDoc, out: str | Path | BinaryIO, fonts: FontSet | None = None) -> int:
    """Write the results report PDF; return its number of pages."""
    fonts = fonts or document_fonts()
    st = make_styles(fonts, cell_size=11)
    title = f"Kết quả thẩm định, xếp hạng ứng dụng công nghệ thông tin năm {doc.year}"
    return build_pdf(_story(doc, fonts, st), out, fonts, title=title, marks=PageMarks(footer=doc.footer))


def report_bytes(doc: ReportDoc, fonts: FontSet | None = None) -> bytes:
    """The report PDF in memory."""
    return pdf_bytes(lambda out: render_report(doc, out, fonts))


def _story(doc: ReportDoc, fonts: FontSet, st: Styles) -> list[Flowable]:
    def p(text: str, style: ParagraphStyle = st.body) -> Paragraph:
        return para(text, style, fonts)

    header = Header(doc.issuer, doc.issuing_unit, "", long_date(doc.place, doc.day))
    story: list[Flowable] = [HeaderBlock(header, fonts), p("PHỤ LỤC", st.title)]
    story.append(
        p(
            f"KẾT QUẢ THẨM ĐỊNH, XẾP HẠNG ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM {doc.year} CỦA CÁC CƠ QUAN ĐẢNG, "
            "MẶT TRẬN TỔ QUỐC VÀ CÁC TỔ CHỨC CHÍNH TRỊ - XÃ HỘI TỈNH",
            st.subject,
        )
    )
    story += [p("(Tổ thẩm định đề xuất Ban Thường vụ Tỉnh ủy xem xét, quyết định)", st.note), TitleRule()]
    story += [CondPageBreak(40 * mm), p("I. KẾT QUẢ XẾP HẠNG THEO NHÓM ĐỐI TƯỢNG", st.heading)]
    for number, category in enumerate(doc.categories, start=1):
        story += [CondPageBreak(45 * mm), p(f"{number}. {category.title}", st.heading)]
        story += [
            p(category.rules, st.body_plain),
            Spacer(1, 3),
            _ranked_table(category, fonts, st),
            Spacer(1, 6),
        ]
    story += [CondPageBreak(60 * mm), p("II. TỔNG HỢP SỐ LƯỢNG THEO XẾP LOẠI", st.heading)]
    story += [_counts_table(doc, fonts, st), Spacer(1, 8)]
    story.append(KeepTogether([p("Biểu đồ: số đơn vị theo xếp loại", st.heading), _chart(doc, fonts)]))
    story.append(
        p(
            "Ghi chú: đơn vị chưa chấm đủ tiêu chí (kết quả tạm tính) hoặc còn xung đột dữ liệu chưa được xếp "
            "hạng và không tính vào các xếp loại; hạng bằng nhau khi cùng xếp loại và cùng tổng điểm.",
            st.note,
        )
    )
    story += report_tables(doc.extra_tables, fonts, st)
    story.append(_signature(doc, fonts, st))
    return story


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
    return LongTable(
        data, colWidths=RESULT_WIDTHS, repeatRows=1, splitInRow=1, style=TableStyle(grid_commands())
    )


def _counts_table(doc: ReportDoc, fonts: FontSet, st: Styles) -> Table:
    columns = ("Xếp loại", *doc.count_columns)
    first = 40 * mm
    rest = (TEXT_WIDTH - first) / (len(columns) - 1)
    data: list[list[object]] = [[para(c, st.cell_head, fonts) for c in columns]]
    for label, numbers in doc.counts:
        bold = label == "Cộng"
        data.append(
            [para(label, st.cell, fonts, bold=bold)]
            + [para(str(n), st.cell_center, fonts, bold=bold) for n in numbers]
        )
    return Table(data, colWidths=(first,) + (rest,) * (len(columns) - 1), style=TableStyle(grid_commands()))


def _chart(doc: ReportDoc, fonts: FontSet) -> Drawing:
    values = doc.band_totals()
    drawing = Drawing(TEXT_WIDTH, 58 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 20 * mm, 12 * mm
    chart.width, chart.height = TEXT_WIDTH - 40 * mm, 40 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = [fonts.clean(nfc(b)) for b in doc.bands]
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = 12
    chart.categoryAxis.labels.dy = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(values + [1]) + 1
    chart.valueAxis.valueStep = max(1, (max(values + [1]) + 4) // 5)
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = 10
    chart.barWidth = 10
    chart.groupSpacing = 14
    for index, colour in enumerate(BAR_COLOURS[: len(values)]):
        chart.bars[(0, index)].fillColor = colors.HexColor(colour)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.bold
    chart.barLabels.fontSize = 11
    chart.barLabels.nudge = 7
    drawing.add(chart)
    caption = fonts.clean(nfc("Số đơn vị"))
    drawing.add(String(2 * mm, 54 * mm, caption, fontName=fonts.italic, fontSize=10))
    return drawing


def _signature(doc: ReportDoc, fonts: FontSet, st: Styles) -> Flowable:
    half = TEXT_WIDTH / 2
    block = [
        [Paragraph(para_text("T/M TỔ THẨM ĐỊNH", fonts), st.sign_head)],
        [Paragraph(para_text("TỔ TRƯỞNG", fonts), st.sign_head)],
        [Spacer(1, 24 * mm)],
        [Paragraph(para_text(doc.lead_name or " ", fonts), st.sign_name)],
    ]
    inner = Table(block, colWidths=(half,), splitByRow=0)
    return KeepTogether([Spacer(1, 10), Table([["", inner]], colWidths=(half, half), splitByRow=0)])
