"""The criteria table on a sheet: find its header row, walk its coded rows, read its cells.

Real files are messy: the header row is not on row 1, columns are extra or reordered, titles
are merged, blank rows trail, a total row closes the table. ``find_table`` looks for the first
visible sheet whose header row (within the first ``HEADER_SCAN_ROWS`` rows) names the code
column and the required ones (io/excel_headers.py); ``table_rows`` yields the coded rows under
it up to the total row; ``Table`` reads a cell by its column key and says where it is. Both
the form reader (excel_read) and the catalog reader (excel_catalog) start here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ictappraise.domain.numbers import parse_decimal
from ictappraise.io.excel_cells import is_code, nfc, normalize_code
from ictappraise.io.excel_errors import ExcelError, Where
from ictappraise.io.excel_headers import COLUMN_LABELS, column_key, fold, header_columns
from ictappraise.io.excel_workbook import Book, Sheet

#: Rows of each sheet searched for the header row.
HEADER_SCAN_ROWS = 40
#: A row whose code (or name) starts with one of these closes the table.
TOTAL_WORDS = ("tong cong", "tong diem", "tong so diem", "cong")


@dataclass
class Table:
    """The criteria table found on a sheet: where its header is and which column is which."""

    sheet: Sheet
    file: str
    header_row: int
    columns: dict[str, int]
    rows: list[int] = field(default_factory=list)

    def where(self, row: int | None = None, key: str | None = None) -> Where:
        column = self.columns.get(key) if key else None
        return Where(self.file, self.sheet.title, row, column, COLUMN_LABELS.get(key or "", ""))

    def value(self, row: int, key: str) -> Any:
        column = self.columns.get(key)
        return None if column is None else self.sheet.value(row, column)

    def text(self, row: int, key: str) -> str:
        """A cell's text (see ``nfc``); ExcelError when it is longer than Excel allows."""
        value = self.value(row, key)
        limit = self.sheet.limits.cell_chars
        if isinstance(value, str) and len(value) > limit:
            raise ExcelError(
                f"{self.where(row, key)}: ô có {_count(len(value))} ký tự, quá giới hạn "
                f"{_count(limit)} ký tự của một ô Excel. Hãy rút gọn nội dung."
            )
        return nfc(value)

    def number(self, row: int, key: str, what: str) -> Decimal | None:
        """A number from a cell: numbers, text with a decimal comma; None when blank."""
        value = self.value(row, key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (datetime, date)):
            raise ExcelError(f"{self.where(row, key)}: {what} phải là một số, ô đang chứa ngày tháng.")
        try:
            return parse_decimal(value, what=what)
        except ValueError as error:
            raise ExcelError(f"{self.where(row, key)}: {error}") from error


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def find_table(workbook: Book, file: str, required: Iterable[str]) -> Table:
    """The first visible sheet with a header row holding Mã, Tiêu chí and the required columns."""
    needed = ("code", *required)
    closest: tuple[int, str, list[str]] | None = None
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row_number, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS], start=1):
            columns = header_columns(cells)
            found = [key for key in needed if key in columns]
            if "code" in columns and len(found) == len(needed):
                return Table(sheet, file, row_number, columns)
            if "code" in columns and (closest is None or len(found) > closest[0]):
                closest = (len(found), sheet.title, [k for k in needed if k not in columns])
    labels = ", ".join(f"«{COLUMN_LABELS[key]}»" for key in needed)
    if closest is not None:
        missing = ", ".join(f"«{COLUMN_LABELS[key]}»" for key in closest[2])
        raise ExcelError(f"Tệp «{file}», trang «{closest[1]}»: bảng tiêu chí thiếu cột {missing}.")
    raise ExcelError(
        f"Tệp «{file}»: không tìm thấy bảng tiêu chí (một dòng tiêu đề có các cột {labels}) trong "
        f"{HEADER_SCAN_ROWS} dòng đầu của các trang."
    )


def table_rows(table: Table) -> Iterator[tuple[int, str]]:
    """(row number, code text) of every row under the header until the total row."""
    limits = table.sheet.limits
    blank = 0
    for row_number in range(table.header_row + 1, table.sheet.max_row + 1):
        code = normalize_code(table.value(row_number, "code"))
        name = fold(table.value(row_number, "name"))
        if not is_code(code) and (fold(code) in TOTAL_WORDS or name.startswith(TOTAL_WORDS[:3])):
            return
        blank = blank + 1 if not code and not name else 0
        if blank >= limits.blank_rows:  # formatted empty rows down to the sheet's end
            return
        if code and column_key(code) != "code":
            yield row_number, code
    if table.sheet.truncated:
        raise ExcelError(
            f"Tệp «{table.file}», trang «{table.sheet.title}»: bảng tiêu chí không kết thúc trong "
            f"{_count(limits.rows)} dòng đầu (trang có hơn {_count(limits.rows)} dòng); không phải một phiếu tiêu chí."
        )
