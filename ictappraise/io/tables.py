"""A plain table (title, columns, rows of text, a note) that the PDF report and a workbook sheet print."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PlainTable:
    """A table of text cells; widths in millimetres for the PDF (characters ≈ widths / 2 in Excel)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""
    widths: tuple[float, ...] = ()
    #: The workbook's sheet name (≤ 31 characters); the title when empty.
    sheet: str = ""
