"""Robust reading of workbooks people send: find the table by its Vietnamese headers.

Real files are messy: the header row is not on row 1, columns are extra or reordered,
scores are typed as text with a decimal comma, formulas carry cached values (or none),
titles are merged, blank rows trail. Everything here is pure openpyxl + domain; every
refusal is an ``ExcelError`` whose Vietnamese message names the file, sheet, row and column.

Files come from outside, so reading is bounded before it starts: the zip directory is checked
against the limits below (io/zip_limits.py) before any part is decompressed, and the workbook
is read with openpyxl's read-only parser into plain rows of values (``Book``/``Sheet``): at
most ``MAX_COLUMNS`` columns and ``MAX_ROWS`` rows a sheet, and a sheet stops after
``MAX_BLANK_ROWS`` empty rows. Cached formula values and merged titles read the same as in
openpyxl's full mode (a merged range keeps its value in its first cell).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ictappraise.domain.limits import format_size
from ictappraise.domain.numbers import parse_decimal
from ictappraise.io import zip_limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
HEADER_SCAN_ROWS = 40
MAX_BLANK_ROWS = 200

# Limits for a workbook someone sends. The program's own form is 13 KB on disk, 11 parts and
# 65 KB unzipped; an agency's own workbook with a logo or a scanned page stays far below these.
#: Parts inside the .xlsx (a sheet with a drawing and comments is about five).
MAX_MEMBERS = 200
#: Declared uncompressed size of all parts together; also the largest file accepted.
MAX_TOTAL_BYTES = 50 * 1024 * 1024
#: One part (a sheet's XML, the shared strings, a picture). openpyxl holds a whole row while
#: parsing it, ~30 bytes of memory per byte of XML: one 10 MB row costs ~300 MB at most.
MAX_PART_BYTES = 10 * 1024 * 1024
#: Sheet XML packs 5–25:1 even when its rows are formatted to the end; bombs pack ~1000:1.
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
#: What is read of a sheet: a criteria table is a few hundred rows and about ten columns.
MAX_ROWS = 20_000
MAX_COLUMNS = 100
#: Excel's own limit on the text of one cell; a longer one was not written by Excel.
MAX_TEXT_CHARS = 32_767

#: Canonical column keys and the header texts (normalised: no diacritics, lower case) they accept.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("ma", "ma tieu chi", "ma so", "ky hieu", "ma tc"),
    "name": ("tieu chi", "ten tieu chi", "noi dung", "noi dung tieu chi", "noi dung danh gia"),
    "maximum": ("diem toi da", "toi da", "diem chuan", "thang diem", "diem toi da cua tieu chi"),
    "method": ("cach tinh diem", "cach tinh", "cach cham diem", "huong dan cham diem", "phuong phap tinh"),
    "self": ("diem tu danh gia", "tu danh gia", "diem tu cham", "tu cham", "diem don vi tu danh gia"),
    "evidence": ("tai lieu kiem chung", "minh chung", "tai lieu minh chung", "ho so minh chung"),
    "appraised": ("diem tham dinh", "tham dinh", "diem to tham dinh", "diem thuc te"),
    "note": ("ghi chu", "ly do", "ghi chu ly do", "nhan xet"),
}
COLUMN_LABELS = {
    "code": "Mã",
    "name": "Tiêu chí",
    "maximum": "Điểm tối đa",
    "method": "Cách tính điểm",
    "self": "Điểm tự đánh giá",
    "evidence": "Tài liệu kiểm chứng",
    "appraised": "Điểm thẩm định",
    "note": "Ghi chú",
}
TOTAL_WORDS = ("tong cong", "tong diem", "tong so diem", "cong")
CODE_PATTERN = re.compile(r"^([IVXLC]+|\d+)(\.\d+)*(\.[A-Za-z]|\.\d+)?$", re.IGNORECASE)


class ExcelError(ValueError):
    """A workbook that cannot be used; the message is Vietnamese and says where."""


def fold(text: Any) -> str:
    """Text for comparing headers: no diacritics, lower case, single spaces, no punctuation."""
    value = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "d")
    value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn").casefold()
    value = re.sub(r"[^\w]+", " ", value.replace("_", " "))
    return " ".join(value.split())


# Excel writes characters XML cannot hold as _xHHHH_ (and a literal "_x" as _x005F_x).
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Bidirectional embeddings, overrides and isolates reorder what is shown (a file name or a
# number can be made to read backwards); right-to-left letters themselves are kept. U+FEFF too.
_INVISIBLE = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"))


def nfc(value: Any) -> str:
    """Cell text as NFC with outer spaces removed ("" for empty).

    Excel's _xHHHH_ escapes are decoded; control characters (other than line breaks and tabs)
    and bidirectional formatting characters are removed.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if "_x" in text:
        text = _EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)
        # Escaped surrogate pairs become one character; a lone half becomes U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    if not text.isprintable():
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return unicodedata.normalize("NFC", text).strip()


@dataclass(frozen=True)
class Where:
    """A place in a workbook, for messages."""

    file: str
    sheet: str = ""
    row: int | None = None
    column: int | None = None
    column_label: str = ""

    def __str__(self) -> str:
        parts = [f"Tệp «{self.file}»"]
        if self.sheet:
            parts.append(f"trang «{self.sheet}»")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            label = f" ({self.column_label})" if self.column_label else ""
            parts.append(f"cột {get_column_letter(self.column)}{label}")
        return ", ".join(parts)


@dataclass
class Sheet:
    """The values of one sheet as read: ``rows[0]`` is row 1, trailing empty cells dropped."""

    title: str
    sheet_state: str
    rows: list[tuple[Any, ...]]
    #: More rows than MAX_ROWS followed: the sheet was not read to its end.
    truncated: bool = False

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


def open_workbook(path: Path, *, data_only: bool = True) -> Book:
    """Open an .xlsx/.xlsm safely, refusing what is not one (or is too big) with a clear reason."""
    name = path.name
    if not path.is_file():
        raise ExcelError(f"Không tìm thấy tệp «{path}».")
    head = _head(path)
    if head.startswith(OLE_MAGIC):
        raise ExcelError(_ole_message(path))
    if path.suffix.lower() == ".xls":
        raise ExcelError(
            f"Tệp «{name}» có đuôi .xls (Excel 97–2003), chương trình chỉ đọc .xlsx. Hãy mở bằng Excel "
            "hoặc LibreOffice và lưu lại dưới dạng Excel Workbook (.xlsx)."
        )
    if not head.startswith(b"PK"):
        raise ExcelError(_not_zip_message(path))
    _check_size(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            _check_limits(infos, name)
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
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on broken XML
        raise ExcelError(f"Tệp «{name}» bị hỏng, không đọc được nội dung: {error}") from error
    try:
        sheets = [_read_sheet(sheet) for sheet in workbook.worksheets]
        return Book(sheets, workbook.custom_doc_props)
    except Exception as error:  # noqa: BLE001 - the sheets' XML is parsed only here
        raise ExcelError(f"Tệp «{name}» bị hỏng, không đọc được nội dung: {error}") from error
    finally:
        workbook.close()  # read-only mode keeps the file open until closed (Windows locks it)


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(8)


def _refused(name: str, problem: str) -> ExcelError:
    return ExcelError(
        f"Tệp «{name}» bị từ chối: {problem}. Một phiếu tiêu chí thường chỉ vài trăm KB; nếu đúng là "
        "phiếu của đơn vị, hãy mở bằng Excel, xóa hình ảnh, trang hoặc dòng thừa rồi lưu lại."
    )


def _limits() -> zip_limits.Limits:
    return zip_limits.Limits(MAX_MEMBERS, MAX_TOTAL_BYTES, MAX_RATIO, RATIO_FLOOR, MAX_PART_BYTES)


def _check_size(path: Path) -> None:
    """Refuse from the file size and the zip's end record, before zipfile reads the directory."""
    size = path.stat().st_size
    if size > MAX_TOTAL_BYTES:
        raise _refused(
            path.name, f"tệp dung lượng {format_size(size)}, quá giới hạn {format_size(MAX_TOTAL_BYTES)}"
        )
    problem = zip_limits.end_record_problem(path, _limits())
    if problem is not None:
        raise _refused(path.name, problem)


def _check_limits(infos: list[zipfile.ZipInfo], name: str) -> None:
    problem = zip_limits.directory_problem(infos, _limits())
    if problem is not None:
        raise _refused(name, problem)


def _read_sheet(worksheet: Any) -> Sheet:
    """A read-only worksheet's values, bounded: MAX_COLUMNS, MAX_ROWS, MAX_BLANK_ROWS."""
    worksheet.reset_dimensions()  # a wrong <dimension> record would cut the rows short
    rows: list[tuple[Any, ...]] = []
    blank = 0
    truncated = False
    for values in worksheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True):
        if len(rows) >= MAX_ROWS:
            truncated = True
            break
        end = len(values)
        while end and values[end - 1] is None:
            end -= 1
        rows.append(tuple(values[:end]) if end else ())
        blank = 0 if end else blank + 1
        if blank >= MAX_BLANK_ROWS:  # formatted empty rows down to the sheet's end
            break
    while rows and not rows[-1]:
        rows.pop()
    return Sheet(worksheet.title, worksheet.sheet_state, rows, truncated)


def _ole_message(path: Path) -> str:
    with open(path, "rb") as handle:
        data = handle.read(MAX_TOTAL_BYTES)
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
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise ExcelError(
                f"{self.where(row, key)}: ô có {_count(len(value))} ký tự, quá giới hạn "
                f"{_count(MAX_TEXT_CHARS)} ký tự của một ô Excel. Hãy rút gọn nội dung."
            )
        return nfc(value)


def _count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def column_key(label: Any) -> str | None:
    """The canonical key of a header cell, or None."""
    folded = fold(label)
    if not folded:
        return None
    best: tuple[int, str] | None = None
    for key, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if folded == alias or folded.startswith(alias + " "):
                if best is None or len(alias) > best[0]:
                    best = (len(alias), key)
    return best[1] if best else None


def find_table(workbook: Book, file: str, required: Iterable[str]) -> Table:
    """The first visible sheet with a header row holding Mã, Tiêu chí and the required columns."""
    needed = ("code", *required)
    closest: tuple[int, str, list[str]] | None = None
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            continue
        for row_number, cells in enumerate(sheet.rows[:HEADER_SCAN_ROWS], start=1):
            columns = _header_columns(cells)
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


def _header_columns(cells: Iterable[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(cells, start=1):
        if isinstance(value, str):
            key = column_key(value)
            if key is not None and key not in columns:
                columns[key] = index
    return columns


def table_rows(table: Table) -> Iterator[tuple[int, str]]:
    """(row number, code text) of every row under the header until the total row."""
    blank = 0
    for row_number in range(table.header_row + 1, table.sheet.max_row + 1):
        code = normalize_code(table.value(row_number, "code"))
        name = fold(table.value(row_number, "name"))
        if not is_code(code) and (fold(code) in TOTAL_WORDS or name.startswith(TOTAL_WORDS[:3])):
            return
        blank = blank + 1 if not code and not name else 0
        if blank >= MAX_BLANK_ROWS:  # formatted empty rows down to the sheet's end
            return
        if code and column_key(code) != "code":
            yield row_number, code
    if table.sheet.truncated:
        raise ExcelError(
            f"Tệp «{table.file}», trang «{table.sheet.title}»: bảng tiêu chí không kết thúc trong "
            f"{_count(MAX_ROWS)} dòng đầu (trang có hơn {_count(MAX_ROWS)} dòng); không phải một phiếu tiêu chí."
        )


def normalize_code(value: Any) -> str:
    """A criterion code as typed: "III.5." → "III.5", "iii.5.A" kept for case-insensitive lookup."""
    text = nfc(value).rstrip(".").strip()
    compact = text.replace(" ", "")
    return compact if CODE_PATTERN.match(compact) else text


def is_code(text: str) -> bool:
    """Whether a text looks like a criterion code (I, III.5, III.5.a, 2.1)."""
    return bool(CODE_PATTERN.match(text))


def cell_number(table: Table, row: int, key: str, what: str) -> Decimal | None:
    """A number from a cell: numbers, text with a decimal comma; None when blank."""
    value = table.value(row, key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (datetime, date)):
        raise ExcelError(f"{table.where(row, key)}: {what} phải là một số, ô đang chứa ngày tháng.")
    try:
        return parse_decimal(value, what=what)
    except ValueError as error:
        raise ExcelError(f"{table.where(row, key)}: {error}") from error


def formula_cells(path: Path, sheet_title: str, cells: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of these (row, column) cells hold a formula (read without cached values)."""
    wanted = list(cells)
    if not wanted:
        return set()
    sheet = open_workbook(path, data_only=False)[sheet_title]
    return {
        (r, c) for r, c in wanted if isinstance(sheet.value(r, c), str) and sheet.value(r, c).startswith("=")
    }


@dataclass(frozen=True)
class FormRow:
    """One coded row of a criteria table as read (numbers parsed, texts NFC)."""

    row: int
    code: str
    maximum: Decimal | None = None
    self_points: Decimal | None = None
    evidence: str = ""
    appraised: Decimal | None = None
    note: str = ""


@dataclass
class FormData:
    """A criteria table read from a workbook, with the problems found on the way."""

    file: str
    table: Table
    rows: list[FormRow]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_form(workbook: Book, path: Path, *, appraised: bool, leaf_codes: set[str]) -> FormData:
    """Read the criteria table of a self-assessment (or appraisal) sheet."""
    key = "appraised" if appraised else "self"
    table = find_table(workbook, path.name, required=(key,))
    data = FormData(path.name, table, [])
    blanks: list[tuple[int, int]] = []
    for row, code in table_rows(table):
        values: dict[str, Any] = {"row": row, "code": code}
        for number_key, what in (("maximum", "Điểm tối đa"), (key, COLUMN_LABELS[key])):
            if number_key not in table.columns:
                continue
            try:
                values[number_key] = cell_number(table, row, number_key, what)
            except ExcelError as error:
                data.errors.append(str(error))
        if values.get(key) is None and code.casefold() in leaf_codes:
            blanks.append((row, table.columns[key]))
        for text_key in ("note",) if appraised else ("evidence",):
            if text_key in table.columns:
                try:
                    values[text_key] = table.text(row, text_key)
                except ExcelError as error:
                    data.errors.append(str(error))
        data.rows.append(
            FormRow(
                row=row,
                code=code,
                maximum=values.get("maximum"),
                self_points=values.get("self"),
                evidence=values.get("evidence", ""),
                appraised=values.get("appraised"),
                note=values.get("note", ""),
            )
        )
    for row, column in sorted(formula_cells(path, table.sheet.title, blanks)) if blanks else ():
        where = Where(path.name, table.sheet.title, row, column, COLUMN_LABELS[key])
        data.errors.append(
            f"{where}: ô có công thức nhưng không có giá trị đã tính (tệp chưa được mở và lưu lại bằng "
            "Excel hoặc LibreOffice). Hãy mở tệp, lưu lại rồi nhập lại, hoặc gõ số thay cho công thức."
        )
    return data
