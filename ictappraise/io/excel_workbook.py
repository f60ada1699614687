"""Opening a workbook from outside: refuse what is not an .xlsx or is too big, then read values.

Files come from outside, so reading is bounded before it starts. What is not an .xlsx (an
.xls, a password-protected file, an .ods or a CSV renamed) is refused with a message that says
what it is and how to save it properly. The zip directory is checked against ``WorkbookLimits``
(io/zip_limits.py) before any part is decompressed, and the workbook is then read with
openpyxl's read-only parser into plain rows of values (``Book``/``Sheet``): at most
``columns`` columns and ``rows`` rows a sheet, and a sheet stops after ``blank_rows`` empty
rows. Cached formula values and merged titles read the same as in openpyxl's full mode (a
merged range keeps its value in its first cell).

The limits are one ``WorkbookLimits`` object: ``open_workbook`` takes it as a parameter and
falls back to ``DEFAULT_LIMITS``, read when it is called (tests put smaller limits there), and
each ``Sheet`` keeps the limits it was read under for the readers of its table.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from ictappraise.domain.limits import format_size
from ictappraise.io import zip_limits
from ictappraise.io.excel_errors import ExcelError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook someone sends may hold, and how much of it is read.

    The program's own form is 13 KB on disk, 11 parts and 65 KB unzipped; an agency's own
    workbook with a logo or a scanned page stays far below these.
    """

    #: Parts inside the .xlsx (a sheet with a drawing and comments is about five).
    members: int = 200
    #: Declared uncompressed size of all parts together; also the largest file accepted.
    total_bytes: int = 50 * 1024 * 1024
    #: One part (a sheet's XML, the shared strings, a picture). openpyxl holds a whole row while
    #: parsing it, ~30 bytes of memory per byte of XML: one 10 MB row costs ~300 MB at most.
    part_bytes: int = 10 * 1024 * 1024
    #: Sheet XML packs 5–25:1 even when its rows are formatted to the end; bombs pack ~1000:1.
    ratio: int = 100
    #: The ratio applies to parts larger than this.
    ratio_floor: int = 1024 * 1024
    #: What is read of a sheet: a criteria table is a few hundred rows and about ten columns.
    rows: int = 20_000
    columns: int = 100
    #: A sheet (and a table) ends after this many empty rows (formatted down to the sheet's end).
    blank_rows: int = 200
    #: Excel's own limit on the text of one cell; a longer one was not written by Excel.
    cell_chars: int = 32_767

    def archive(self) -> zip_limits.Limits:
        """The limits on the zip archive, as io/zip_limits.py checks them."""
        return zip_limits.Limits(
            self.members, self.total_bytes, self.ratio, self.ratio_floor, self.part_bytes
        )


#: The limits ``open_workbook`` applies when it is given none (looked up at each call).
DEFAULT_LIMITS = WorkbookLimits()


@dataclass
class Sheet:
    """The values of one sheet as read: ``rows[0]`` is row 1, trailing empty cells dropped."""

    title: str
    sheet_state: str
    rows: list[tuple[Any, ...]]
    #: More rows than ``limits.rows`` followed: the sheet was not read to its end.
    truncated: bool = False
    #: The limits the sheet was read under.
    limits: WorkbookLimits = DEFAULT_LIMITS
    #: Merged ranges as (first row, first column, last row, last column).
    merged: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def max_row(self) -> int:
        return len(self.rows)

    def value(self, row: int, column: int) -> Any:
        if not 1 <= row <= len(self.rows):
            return None
        cells = self.rows[row - 1]
        return cells[column - 1] if 1 <= column <= len(cells) else None

    def iter_rows(
        self,
        min_row: int = 1,
        max_row: int | None = None,
        max_col: int | None = None,
        values_only: bool = True,
    ) -> Iterator[tuple[Any, ...]]:
        """Rows of values like openpyxl's ``iter_rows(values_only=True)`` (for readers of both)."""
        last = len(self.rows) if max_row is None else min(max_row, len(self.rows))
        for cells in self.rows[min_row - 1 : last]:
            if max_col is None:
                yield cells
            else:
                yield cells[:max_col] + (None,) * (max_col - len(cells))


@dataclass
class Book:
    """A workbook as read by ``open_workbook``: its sheets' values and its custom properties."""

    sheets: list[Sheet]
    custom_doc_props: Any = None

    @property
    def worksheets(self) -> list[Sheet]:
        return self.sheets

    @property
    def sheetnames(self) -> list[str]:
        return [sheet.title for sheet in self.sheets]

    def __getitem__(self, title: str) -> Sheet:
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)


def open_workbook(path: Path, *, data_only: bool = True, limits: WorkbookLimits | None = None) -> Book:
    """Open an .xlsx/.xlsm safely, refusing what is not one (or is too big) with a clear reason."""
    if limits is None:
        limits = DEFAULT_LIMITS
    name = path.name
    if not path.is_file():
        raise ExcelError(f"Không tìm thấy tệp «{path}».")
    head = _head(path)
    if head.startswith(OLE_MAGIC):
        raise ExcelError(_ole_message(path, limits))
    if path.suffix.lower() == ".xls":
        raise ExcelError(
            f"Tệp «{name}» có đuôi .xls (Excel 97–2003), chương trình chỉ đọc .xlsx. Hãy mở bằng Excel "
            "hoặc LibreOffice và lưu lại dưới dạng Excel Workbook (.xlsx)."
        )
    if not head.startswith(b"PK"):
        raise ExcelError(_not_zip_message(path))
    _check_size(path, limits)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_limits(infos, name, limits)
            names = {info.filename for info in infos}
            broken = archive.testzip()  # bounded now: the declared sizes were checked
    except (zipfile.BadZipFile, OSError) as error:
        raise ExcelError(f"Tệp «{name}» bị hỏng, không mở được như một tệp Excel ({error}).") from error
    if broken is not None:
        raise ExcelError(f"Tệp «{name}» bị hỏng (phần «{broken}» không đọc được).")
    if "mimetype" in names and "content.xml" in names:
        raise ExcelError(
            f"Tệp «{name}» là bảng tính OpenDocument (.ods) đổi đuôi, không phải tệp Excel. Hãy mở bằng "
            "LibreOffice và lưu lại dưới dạng Excel 2007-365 (.xlsx)."
        )
    if "xl/workbook.xml" not in names:
        raise ExcelError(f"Tệp «{name}» là tệp nén nhưng không phải sổ tính Excel (.xlsx).")
    try:
        workbook = load_workbook(path, read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds on broken XML
        raise ExcelError(f"Tệp «{name}» bị hỏng, không đọc được nội dung: {error}") from error
    try:
        sheets = [_read_sheet(sheet, limits) for sheet in workbook.worksheets]
        return Book(sheets, workbook.custom_doc_props)
    except Exception as error:  # the sheets' XML is parsed only here
        raise ExcelError(f"Tệp «{name}» bị hỏng, không đọc được nội dung: {error}") from error
    finally:
        workbook.close()  # read-only mode keeps the file open until closed (Windows locks it)


def formula_cells(
    path: Path, sheet_title: str, cells: Iterable[tuple[int, int]], *, limits: WorkbookLimits | None = None
) -> set[tuple[int, int]]:
    """Which of these (row, column) cells hold a formula (read without cached values)."""
    wanted = list(cells)
    if not wanted:
        return set()
    sheet = open_workbook(path, data_only=False, limits=limits)[sheet_title]
    return {
        (r, c) for r, c in wanted if isinstance(sheet.value(r, c), str) and sheet.value(r, c).startswith("=")
    }


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(8)


def _refused(name: str, problem: str) -> ExcelError:
    return ExcelError(
        f"Tệp «{name}» bị từ chối: {problem}. Một phiếu tiêu chí thường chỉ vài trăm KB; nếu đúng là "
        "phiếu của đơn vị, hãy mở bằng Excel, xóa hình ảnh, trang hoặc dòng thừa rồi lưu lại."
    )


def _check_size(path: Path, limits: WorkbookLimits) -> None:
    """Refuse from the file size and the zip's end record, before zipfile reads the directory."""
    size = path.stat().st_size
    if size > limits.total_bytes:
        raise _refused(
            path.name, f"tệp dung lượng {format_size(size)}, quá giới hạn {format_size(limits.total_bytes)}"
        )
    problem = zip_limits.end_record_problem(path, limits.archive())
    if problem is not None:
        raise _refused(path.name, problem)


def _check_limits(infos: list[zipfile.ZipInfo], name: str, limits: WorkbookLimits) -> None:
    problem = zip_limits.directory_problem(infos, limits.archive())
    if problem is not None:
        raise _refused(name, problem)


def _read_sheet(worksheet: Any, limits: WorkbookLimits) -> Sheet:
    """A read-only worksheet's values, bounded by the limits' columns, rows and blank rows."""
    worksheet.reset_dimensions()  # a wrong <dimension> record would cut the rows short
    rows: list[tuple[Any, ...]] = []
    blank = 0
    truncated = False
    for values in worksheet.iter_rows(min_row=1, max_col=limits.columns, values_only=True):
        if len(rows) >= limits.rows:
            truncated = True
            break
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        rows.append(tuple(values[:end]) if end else ())
        blank = 0 if end else blank + 1
        if blank >= limits.blank_rows:  # formatted empty rows down to the sheet's end
            break
    while rows and not rows[-1]:
        rows.pop()
    return Sheet(worksheet.title, worksheet.sheet_state, rows, truncated, limits, _merged_ranges(worksheet))


def _merged_ranges(worksheet: Any) -> tuple[tuple[int, int, int, int], ...]:
    """The sheet's merged ranges: read-only mode does not keep them, so its XML is read for them."""
    found = []
    tag = f"{{{SHEET_MAIN_NS}}}mergeCell"
    with worksheet._get_source() as source:
        for _event, element in iterparse(source):
            ref = (element.get("ref") or "") if element.tag == tag else ""
            if ":" in ref:
                first_col, first_row, last_col, last_row = range_boundaries(ref)
                found.append((first_row, first_col, last_row, last_col))
            element.clear()
    return tuple(found)


def _ole_message(path: Path, limits: WorkbookLimits) -> str:
    with open(path, "rb") as handle:
        data = handle.read(limits.total_bytes)
    if ENCRYPTED_MARK in data:
        return (
            f"Tệp «{path.name}» được đặt mật khẩu (mã hóa), chương trình không đọc được. Hãy mở bằng Excel, "
            "gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại và nhập lại."
        )
    return (
        f"Tệp «{path.name}» là định dạng Excel 97–2003 (.xls), chương trình chỉ đọc .xlsx. Hãy mở bằng "
        "Excel hoặc LibreOffice và lưu lại dưới dạng Excel Workbook (.xlsx)."
    )


def _not_zip_message(path: Path) -> str:
    with open(path, "rb") as handle:
        sample = handle.read(2048)
    if not sample:
        return f"Tệp «{path.name}» rỗng (0 byte), không phải tệp Excel."
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
    if text and ("," in text or ";" in text or "\t" in text):
        return (
            f"Tệp «{path.name}» là tệp văn bản (CSV) đổi đuôi thành .xlsx, không phải tệp Excel. Hãy mở "
            "bằng Excel hoặc LibreOffice và lưu lại dưới dạng Excel Workbook (.xlsx)."
        )
    return f"Tệp «{path.name}» không phải tệp Excel (.xlsx)."
