"""Reading a filled-in form: the criteria table of a self-assessment or an appraisal sheet.

An agency sends back the program's form (io/excel_form.py) or its own workbook laid out the
same way. ``read_form`` finds the criteria table (io/excel_table.py), reads each coded row's
maximum, score and evidence or note, and collects each bad cell as a Vietnamese message naming
the file, sheet, row and column instead of stopping at the first one. A leaf criterion left
blank because its cell holds a formula Excel never calculated is reported as such (the file
must be opened and saved once).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ictappraise.io.excel_errors import ExcelError, Where
from ictappraise.io.excel_headers import COLUMN_LABELS
from ictappraise.io.excel_table import Table, find_table, table_rows
from ictappraise.io.excel_workbook import Book, formula_cells


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
    data.errors.extend(merged_problems(table, ("code", key)))
    blanks: list[tuple[int, int]] = []
    for row, code in table_rows(table):
        values: dict[str, Any] = {"row": row, "code": code}
        for number_key, what in (("maximum", "Điểm tối đa"), (key, COLUMN_LABELS[key])):
            if number_key not in table.columns:
                continue
            try:
                values[number_key] = table.number(row, number_key, what)
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
    # The file is read a second time, without cached values, only when a leaf score is blank.
    uncalculated = formula_cells(path, table.sheet.title, blanks, limits=table.sheet.limits)
    for row, column in sorted(uncalculated):
        where = Where(path.name, table.sheet.title, row, column, COLUMN_LABELS[key])
        data.errors.append(
            f"{where}: ô có công thức nhưng không có giá trị đã tính (tệp chưa được mở và lưu lại bằng "
            "Excel hoặc LibreOffice). Hãy mở tệp, lưu lại rồi nhập lại, hoặc gõ số thay cho công thức."
        )
    return data


def merged_problems(table: Table, keys: tuple[str, ...]) -> list[str]:
    """Merged cells over the code or score column under the header: which rows a score belongs to
    is then a guess, so the file is refused with the rows named."""
    problems = []
    # Below the table (a signature block, notes) merged cells are layout, not scores.
    last_table_row = max((row for row, _code in table_rows(table)), default=table.header_row)
    for first_row, first_col, last_row, last_col in table.sheet.merged:
        if last_row <= table.header_row or first_row > last_table_row:
            continue
        if (first_row, first_col) == (last_row, last_col):
            continue
        for key in keys:
            column = table.columns.get(key)
            if column is not None and first_col <= column <= last_col:
                rows = f"dòng {first_row}" if first_row == last_row else f"dòng {first_row}–{last_row}"
                problems.append(
                    f"Tệp «{table.file}», trang «{table.sheet.title}», {rows}: các ô của cột "
                    f"«{COLUMN_LABELS[key]}» đang được gộp (merge), không biết điểm thuộc tiêu chí nào. "
                    "Hãy bỏ gộp ô (mỗi tiêu chí một dòng) rồi nhập lại."
                )
                break
    return problems
