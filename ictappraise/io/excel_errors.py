"""How a workbook is refused: ``ExcelError`` and ``Where``, the place a message names.

Every module that reads a workbook raises the same error, and every message starts with the
same Vietnamese description of where the problem is (file, sheet, row, column and its header),
so both live here, below the modules that open a workbook, match its headers and read its cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter


class ExcelError(ValueError):
    """A workbook that cannot be used; the message is Vietnamese and says where."""


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
