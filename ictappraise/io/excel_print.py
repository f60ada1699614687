"""How a sheet prints: A4 landscape fitted to the width, the header row on every page, a footer
with room, and rows tall enough for their wrapped text (openpyxl cannot measure: estimated).
Shared by the self-assessment form and the results workbook."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Times New Roman"
LINE_HEIGHT = 15.0
CHARS_PER_WIDTH = 1.4  # Times New Roman 11 pt: about this many characters per width unit


def row_height(texts: Iterable[tuple[str, float]]) -> float:
    """The height (points) that shows wrapped texts, given (text, column width) pairs (an estimate)."""
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width * CHARS_PER_WIDTH))
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in text.split("\n")))
    return lines * LINE_HEIGHT + 2


def fit_height(sheet: Worksheet, row: int, widths: dict[int, float] | None = None) -> None:
    """Set a row's height so its wrapped text shows (openpyxl cannot measure; this estimates)."""
    texts = []
    for cell in sheet[row]:
        if cell.data_type == "s" and isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = (widths or {}).get(cell.column) or sheet.column_dimensions[cell.column_letter].width
            texts.append((cell.value, width or 8.43))
    sheet.row_dimensions[row].height = row_height(texts)


#: Page margins in inches: Excel's "Normal" bottom, so the page number in the footer (0.3 in
#: from the edge) has room below the table (at 0.6 LibreOffice cut it); no header, so a
#: narrower top; narrower sides for the wide table.
MARGIN_SIDE = 0.5
MARGIN_TOP = 0.6
MARGIN_BOTTOM = 0.75
MARGIN_HEADER_FOOTER = 0.3


def setup_print(sheet: Worksheet, title_rows: str, area: str | None = None) -> None:
    """A4 landscape, fit to the page width, the table header repeated on every page, the page
    number in the footer; ``area`` (e.g. "A1:I80") is what prints, when given."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows
    if area:
        sheet.print_area = area
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left = margins.right = MARGIN_SIDE
    margins.top, margins.bottom = MARGIN_TOP, MARGIN_BOTTOM
    margins.header = margins.footer = MARGIN_HEADER_FOOTER
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT_NAME
    sheet.oddFooter.center.size = 10
