"""How the workbooks print (read back with openpyxl): A4 landscape fitted to the width, the header
row on every page, a print area that ends with the signature block, a footer with room, widths
and wrapped texts that show every word, and no sheet left with Excel's defaults."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ictappraise.io import excel_form, excel_print
from ictappraise.io.excel_followup import HEADER_ROW as TABLE_HEADER_ROW
from ictappraise.services import excel_import as svc


def _prints_like_a_form(sheet: Worksheet, header_row: int) -> None:
    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title  # 9: A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title  # one page wide, as long as needed
    assert sheet.print_title_rows == f"${header_row}:${header_row}", sheet.title
    margins = sheet.page_margins
    assert margins.bottom - margins.footer >= 0.4, sheet.title  # the page number is not cut
    assert "&P" in sheet.oddFooter.center.text


def _lines(text: str, width: float) -> int:
    per_line = max(1, int(width * excel_print.CHARS_PER_WIDTH))
    return sum(-(-max(len(part), 1) // per_line) for part in text.split("\n"))


def _rows_fit_their_text(sheet: Worksheet, first: int, last: int) -> None:
    """Every wrapped text has a row tall enough for its lines (the writer's own estimate)."""
    for row in range(first, last + 1):
        height = sheet.row_dimensions[row].height
        for cell in sheet[row]:
            if (
                isinstance(cell.value, str)
                and not cell.value.startswith("=")
                and cell.coordinate not in sheet.merged_cells
            ):
                assert cell.alignment.wrap_text, cell.coordinate
                width = sheet.column_dimensions[cell.column_letter].width
                assert height is not None and height >= _lines(cell.value, width) * excel_print.LINE_HEIGHT, (
                    cell.coordinate
                )


def test_the_form_prints_on_a4_with_its_header_and_signature(lead_ws, tmp_path: Path) -> None:
    agency = lead_ws.find_agency("HUTP")
    sheet = load_workbook(svc.write_form(lead_ws, agency.id, tmp_path / "f.xlsx"))[excel_form.FORM_SHEET]
    _prints_like_a_form(sheet, excel_form.HEADER_ROW)
    last_column = excel_form.get_column_letter(len(excel_form.COLUMNS))
    signature = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Điện thoại liên hệ: ………………………"
    )
    assert sheet.print_area == f"'{excel_form.FORM_SHEET}'!$A$1:${last_column}${signature}"
    assert sheet.print_options.horizontalCentered
    widths = {
        key: sheet.column_dimensions[excel_form.get_column_letter(i)].width
        for key, i in excel_form.COL.items()
    }
    assert widths == {key: width for key, _label, width in excel_form.COLUMNS}
    # The long texts get the room: the criterion, the method with its scale, the evidence.
    assert min(widths["name"], widths["method"], widths["required"]) >= 28 > widths["maximum"]
    total = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "TỔNG CỘNG")
    _rows_fit_their_text(sheet, excel_form.FIRST_ROW, total - 1)  # the total row: "TỔNG CỘNG"
    # Maxima as the catalog writes them ("20", not "20,00"); scores keep two decimals.
    row = excel_form.FIRST_ROW + 1
    assert sheet.cell(row, excel_form.COL["maximum"]).number_format == "General"
    assert sheet.cell(row, excel_form.COL["self"]).number_format == excel_form.POINTS_FORMAT


def test_every_results_sheet_prints_fitted_with_its_header(lead_ws, tmp_path: Path) -> None:
    workbook = load_workbook(svc.write_results(lead_ws, tmp_path / "r.xlsx"))
    headers = {"Tổng hợp": 4, "Các năm trước": TABLE_HEADER_ROW, "Khắc phục kiến nghị": TABLE_HEADER_ROW}
    headers["Đề xuất khen thưởng"] = TABLE_HEADER_ROW
    for sheet in workbook.worksheets:
        _prints_like_a_form(sheet, headers.get(sheet.title, 5))  # an agency's sheet: its header is row 5
    notes = 0
    for title in ("Các năm trước", "Khắc phục kiến nghị", "Đề xuất khen thưởng"):
        sheet = workbook[title]
        last = sheet.max_row
        assert sheet.print_area == f"'{title}'!$A$1:${sheet.cell(3, sheet.max_column).column_letter}${last}"
        assert {cell.font.name for row in sheet.iter_rows(min_row=3) for cell in row if cell.value} == {
            "Times New Roman"
        }
        note = sheet.cell(last, 1)
        if note.coordinate in sheet.merged_cells:  # the note under the table spans it and wraps
            assert note.font.italic and note.alignment.wrap_text
            assert sheet.row_dimensions[last].height >= _lines(note.value, _table_width(sheet)) * 15
            notes += 1
            last -= 2
        _rows_fit_their_text(sheet, TABLE_HEADER_ROW + 1, last)
    assert notes >= 2  # the previous years and the proposals explain themselves


def _table_width(sheet: Worksheet) -> float:
    return sum(sheet.column_dimensions[cell.column_letter].width for cell in sheet[TABLE_HEADER_ROW])
