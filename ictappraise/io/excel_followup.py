"""Plain tables (previous years, follow-ups, commendation proposals) as sheets of the results workbook."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ictappraise.io.excel_form import set_text
from ictappraise.io.tables import PlainTable

HEADER_ROW = 3
_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def add_table_sheets(workbook: Workbook, tables: Sequence[PlainTable], year: int) -> None:
    """One sheet per table, after the summary sheet, in the given order."""
    for offset, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet((table.sheet or table.title)[:31], index=offset)
        _fill(sheet, table, year)


def _fill(sheet: Worksheet, table: PlainTable, year: int) -> None:
    sheet.cell(row=1, column=1, value=f"{table.title.upper()} — NĂM {year}").font = Font(bold=True, size=13)
    widths = list(table.widths) or [30.0] * len(table.columns)
    for column, name in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=name)
        cell.font = Font(bold=True)
        cell.fill = _FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        width = widths[column - 1] if column <= len(widths) else widths[-1]
        sheet.column_dimensions[cell.column_letter].width = max(10, width / 1.6)
    for row_number, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            set_text(cell, _number_or_text(text))  # an agency named "=…" stays text, never a formula
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if table.note:
        sheet.cell(row=HEADER_ROW + len(table.rows) + 2, column=1, value=table.note).font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)


def _number_or_text(text: str) -> int | str:
    """Counts as numbers (so the sheet sums them); everything else as written."""
    return int(text) if text.isdigit() else text
