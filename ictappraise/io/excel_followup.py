"""Plain tables (previous years, follow-ups, commendation proposals) as sheets of the results workbook.

Printed like the other sheets: Times New Roman, A4 landscape fitted to the width with the header
row repeated (excel_print.setup_print), rows tall enough for their wrapped text, the note under
the table wrapped across the table's width.
"""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ictappraise.io.excel_form import set_text
from ictappraise.io.excel_print import FONT_NAME, row_height, setup_print
from ictappraise.io.tables import PlainTable

HEADER_ROW = 3
_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
#: Excel width units per millimetre of the PDF report's column (PlainTable.widths).
UNITS_PER_MM = 1 / 1.6


def add_table_sheets(workbook: Workbook, tables: Sequence[PlainTable], year: int) -> None:
    """One sheet per table, after the summary sheet, in the given order."""
    for offset, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet((table.sheet or table.title)[:31], index=offset)
        _fill(sheet, table, year)


def column_widths(table: PlainTable) -> list[float]:
    """Each column's width in Excel units (from the report's millimetres; 30 mm when not given)."""
    widths = list(table.widths) or [30.0] * len(table.columns)
    return [
        max(10.0, (widths[i] if i < len(widths) else widths[-1]) * UNITS_PER_MM)
        for i in range(len(table.columns))
    ]


def _fill(sheet: Worksheet, table: PlainTable, year: int) -> None:
    widths = column_widths(table)
    last = get_column_letter(len(table.columns))
    _merged_text(
        sheet, 1, last, f"{table.title.upper()} — NĂM {year}", Font(name=FONT_NAME, bold=True, size=13)
    )
    for column, name in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=name)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = _FILL
        cell.border = _BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = widths[column - 1]
    sheet.row_dimensions[HEADER_ROW].height = row_height(zip(table.columns, widths, strict=True))
    body = Font(name=FONT_NAME)
    for row_number, row in enumerate(table.rows, start=HEADER_ROW + 1):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            set_text(cell, _number_or_text(text))  # an agency named "=…" stays text, never a formula
            cell.font = body
            cell.border = _BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row_number].height = row_height(zip(row, widths, strict=False))
    end = HEADER_ROW + len(table.rows)
    if table.note:
        end += 2
        _merged_text(sheet, end, last, table.note, Font(name=FONT_NAME, italic=True), width=sum(widths))
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)
    setup_print(sheet, f"{HEADER_ROW}:{HEADER_ROW}", f"A1:{last}{end}")


def _merged_text(sheet: Worksheet, row: int, last: str, text: str, font: Font, width: float = 0) -> None:
    """A line of text across the table's width, wrapped, its row tall enough when ``width`` given."""
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = sheet.cell(row=row, column=1)
    set_text(cell, text)
    cell.font = font
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if width:
        sheet.row_dimensions[row].height = row_height([(text, width)])


def _number_or_text(text: str) -> int | str:
    """Counts as numbers (so the sheet sums them); everything else as written."""
    return int(text) if text.isdigit() else text
