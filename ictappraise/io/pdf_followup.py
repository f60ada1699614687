"""Sections about previous years in the PDFs: recommendations followed up, trends, proposals.

Kept apart from pdf_minutes/pdf_report so those stay about this year's documents; each
function returns flowables the document appends at one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, LongTable, Paragraph, Spacer, TableStyle

from ictappraise.io.pdf_fonts import FontSet
from ictappraise.io.pdf_layout import TEXT_WIDTH, Styles, base_font, grid_commands, para
from ictappraise.io.tables import PlainTable

FOLLOWUP_HEADING = "4. Kết quả khắc phục kiến nghị năm trước"
TREND_HEADING = "4. Kết quả thẩm định các năm trước"


def followup_section(
    lines: Sequence[str],
    heading: Callable[..., list[Flowable]],
    paragraph: Callable[[str], Paragraph],
    year: int | None = None,
    trend: str = "",
) -> list[Flowable]:
    """The minutes' section on previous years: the trend, then last year's recommendations."""
    if not lines and not trend:
        return []
    if lines:
        title = FOLLOWUP_HEADING + (f" ({year})" if year else "")
    else:
        title = TREND_HEADING
    out = heading(title)
    out += [paragraph(trend)] if trend else []
    return out + [paragraph(line) for line in lines]


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def report_tables(tables: Sequence[PlainTable], fonts: FontSet, st: Styles, first: int = 3) -> list[Flowable]:
    """The report's sections after its own (III, IV, …): a heading, a grid, a note."""
    out: list[Flowable] = []
    for number, table in enumerate(tables, start=first):
        heading = f"{ROMAN[number - 1]}. {table.title.upper()}"
        out += [CondPageBreak(40 * mm), para(heading, st.heading, fonts)]
        data: list[list[object]] = [[para(c, st.cell_head, fonts) for c in table.columns]]
        data += [[para(cell, st.cell_small, fonts) for cell in row] for row in table.rows]
        widths = _widths(table)
        style = TableStyle([base_font(fonts), *grid_commands(), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        out += [LongTable(data, colWidths=widths, repeatRows=1, style=style), Spacer(1, 4)]
        if table.note:
            out.append(para(table.note, st.note, fonts))
        out.append(Spacer(1, 6))
    return out


def _widths(table: PlainTable) -> list[float]:
    given = list(table.widths[: len(table.columns)]) or [1.0] * len(table.columns)
    given += [given[-1]] * (len(table.columns) - len(given))
    scale = TEXT_WIDTH / sum(given)
    return [w * scale for w in given]
