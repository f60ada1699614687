"""The results table of the minutes (docs/rules.md §6): one row per group, criterion and
sub-item, then the total; a note too long for a page goes on in continuation rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, TableStyle

from ictappraise.io.pdf_fonts import FontSet
from ictappraise.io.pdf_layout import Styles, base_font, grid_commands, nfc, para

ROW_GROUP = "group"
ROW_CRITERION = "criterion"
ROW_SUB = "sub"
ROW_TOTAL = "total"

TABLE_HEADER = ("STT", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định", "Ghi chú")
COLUMN_WIDTHS = tuple(w * mm for w in (11, 74, 15, 16, 16, 28))


@dataclass(frozen=True)
class TableRow:
    """One row of the results table, numbers already formatted ("7,5")."""

    kind: str
    number: str
    name: str
    maximum: str
    self_points: str
    points: str
    note: str = ""


def results_table(rows: Sequence[TableRow], fonts: FontSet, st: Styles) -> LongTable:
    """The minutes' results table: a header repeated on every page, no row cut from its number."""

    def plain(text: str) -> str:
        return fonts.clean(nfc(text))

    size = st.cell.fontSize
    data: list[list[object]] = [[para(h, st.cell_head, fonts) for h in TABLE_HEADER]]
    commands: list[tuple[object, ...]] = [
        base_font(fonts),
        *grid_commands(),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (2, 1), (4, -1), "CENTER"),
        ("FONT", (0, 1), (-1, -1), fonts.regular, size, size * 1.18),
    ]
    # Short cells (numbers) are plain strings styled per row: far cheaper to lay out than
    # paragraphs, which matters when the whole round's minutes are printed at once.
    for index, row in enumerate(_fitting_rows(rows, fonts, st), start=1):
        bold = row.kind in (ROW_GROUP, ROW_TOTAL)
        italic = row.kind == ROW_SUB
        unscored = row.points == "" and row.kind != ROW_TOTAL
        data.append(
            [
                plain(row.number),
                para(row.name, st.cell, fonts, bold=bold, italic=italic),
                plain(row.maximum),
                plain(row.self_points),
                "chưa\nchấm" if unscored else plain(row.points),
                para(row.note, st.cell_small, fonts) if row.note else "",
            ]
        )
        if bold:
            commands.append(("FONTNAME", (0, index), (-1, index), fonts.bold))
            commands.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#F4F4F4")))
        elif italic:
            commands.append(("FONTNAME", (0, index), (-1, index), fonts.italic))
        if unscored:
            commands.append(("FONT", (4, index), (4, index), fonts.italic, size - 1, (size - 1) * 1.1))
    # repeatRows: the header row comes back at the top of every page. splitInRow=0: a row is
    # never cut away from its number (a note too long for a page was already cut into
    # continuation rows). NOSPLIT: the total never stands alone under a repeated header.
    last = len(data) - 1
    if rows and rows[-1].kind == ROW_TOTAL and last >= 2:
        commands.append(("NOSPLIT", (0, last - 1), (-1, last)))
    return LongTable(data, colWidths=COLUMN_WIDTHS, repeatRows=1, splitInRow=0, style=TableStyle(commands))


#: A row taller than this is cut into continuation rows (a page holds about 247 mm of text).
MAX_ROW_HEIGHT = 150 * mm


def _fitting_rows(rows: Sequence[TableRow], fonts: FontSet, st: Styles) -> list[TableRow]:
    """Rows as printed: a note too long for one page goes on in "(tiếp theo)" rows."""
    out: list[TableRow] = []
    for row in rows:
        chunks = _note_chunks(row.note, fonts, st) if row.note else [row.note]
        out.append(dataclasses.replace(row, note=chunks[0]))
        out += [
            TableRow(row.kind, "", f"(tiếp theo {row.number})".replace(" )", ")"), "", "", "", chunk)
            for chunk in chunks[1:]
        ]
    return out


def _note_chunks(note: str, fonts: FontSet, st: Styles) -> list[str]:
    width = COLUMN_WIDTHS[5] - 6
    if para(note, st.cell_small, fonts).wrap(width, 10**6)[1] <= MAX_ROW_HEIGHT:
        return [note]
    chunks: list[str] = []
    current: list[str] = []
    for word in note.split():
        trial = " ".join([*current, word])
        if current and para(trial, st.cell_small, fonts).wrap(width, 10**6)[1] > MAX_ROW_HEIGHT:
            chunks.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    return [*chunks, " ".join(current)] if current else chunks
