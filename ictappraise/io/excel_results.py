"""The results workbook: a ranked summary of every agency, then one sheet per agency.

Values come from the domain's scorecards (exact Decimals, written as numbers with real number
formats); no formula is written, and text that starts with =, +, - or @ stays text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ictappraise.domain.catalog import Catalog, Criterion, Group
from ictappraise.domain.dates import format_day
from ictappraise.domain.scorecard import Scorecard
from ictappraise.domain.text_safety import FORBIDDEN
from ictappraise.io.excel_followup import add_table_sheets
from ictappraise.io.excel_form import set_text
from ictappraise.io.excel_print import row_height, setup_print
from ictappraise.io.tables import PlainTable

POINTS = "0.00"
DIFFERENCE = "+0.00;-0.00;0.00"
FONT = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
SUMMARY_SHEET = "Tổng hợp"
SUMMARY_HEADER_ROW = 4
AGENCY_HEADER_ROW = 5

SUMMARY_COLUMNS = (
    ("STT (hạng)", 8),
    ("Mã", 9),
    ("Đơn vị", 36),
    ("Phụ lục", 8),
    ("Điểm tự đánh giá", 12),
    ("Điểm thẩm định", 12),
    ("Điểm tối đa", 10),
    ("Xếp loại cơ sở", 12),
    ("Hạ bậc, điểm liệt đã áp dụng", 50),
    ("Xếp loại", 24),
    ("Trạng thái", 15),
)
AGENCY_COLUMNS = (
    ("Mã", 9),
    ("Tiêu chí", 60),
    ("Điểm tối đa", 10),
    ("Điểm tự đánh giá", 12),
    ("Điểm thẩm định", 12),
    ("Chênh lệch", 11),
    ("Ghi chú", 45),
)


@dataclass(frozen=True)
class ResultEntry:
    """One agency as the results workbook shows it (plain data from the services)."""

    code: str
    name: str
    category: int
    rank: int | None
    status_label: str
    scorecard: Scorecard
    catalog: Catalog
    notes: Mapping[str, str]
    conflicts: tuple[str, ...] = ()
    #: The band as every output shows it (services/band_text.py): "Tốt", "Chưa thẩm định",
    #: "Chưa đủ điểm, chưa xếp loại"…; ``final`` when it is a band that counts.
    shown: str = ""
    final: bool = False
    #: The penalties applied, in a document's words (services/band_text.plain_penalty); the
    #: scorecard's own lines when not given.
    applied: tuple[str, ...] | None = None
    #: The penalty rules of docs/rules.md §4 in one plain sentence each, as the minutes say them
    #: (services/remarks.py); the scorecard's own check lines when not given.
    reasons: tuple[str, ...] = ()


def write_results(
    path: Path, year: int, round_name: str, results: Sequence[ResultEntry], extra: Sequence[PlainTable] = ()
) -> Path:
    """Write the results workbook to a path; ``extra`` tables become sheets after the summary."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = SUMMARY_SHEET
    _register_styles(workbook)
    _summary(summary, year, round_name, results)
    used: set[str] = {SUMMARY_SHEET}
    for result in results:
        _agency_sheet(workbook.create_sheet(_sheet_name(result, used)), year, result)
    add_table_sheets(workbook, extra, year)  # previous years, follow-ups, proposals
    workbook.properties.title = f"Kết quả xếp hạng ứng dụng công nghệ thông tin năm {year}"
    workbook.properties.creator = "ictappraise"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def final_band_text(result: ResultEntry) -> str:
    """The band as decided once for every output (given by the service)."""
    return result.shown


def penalties_text(result: ResultEntry) -> str:
    """The penalties that were applied (rule lines that changed or capped the band)."""
    rating = result.scorecard.rating
    if rating is None or _nothing_scored(result.scorecard):
        return ""
    applied = rating.applied if result.applied is None else result.applied
    if not applied and result.scorecard.unscored_criteria:
        return ""  # not everything is scored: "Không" would claim what is not checked yet
    return "\n".join(applied) if applied else "Không"


def _nothing_scored(card: Scorecard) -> bool:
    return all(row.points is None for row in card.rows.values())


def _group_points(card: Scorecard, group: Group, points: Decimal) -> Decimal | None:
    """A section's points, or None (a blank cell, not 0) while none of its criteria is scored."""
    codes = [item.code for criterion in group.criteria for item in (criterion, *criterion.sub_items)]
    return None if all(card.rows[code].points is None for code in codes) else points


def _title(sheet: Worksheet, width: int, lines: Sequence[str]) -> None:
    last = get_column_letter(width)
    for row, text in enumerate(lines, start=1):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        cell.font = Font(name=FONT, bold=row == 1, italic=row > 1, size=14 if row == 1 else 11)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _header(sheet: Worksheet, row: int, columns: Sequence[tuple[str, int]]) -> None:
    for index, (label, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index)
        set_text(cell, label)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[row].height = 32


STYLE_KINDS = {
    "plain": {},
    "sub": {"italic": True},
    "group": {"bold": True, "fill": GROUP_FILL},
    "total": {"bold": True, "fill": HEADER_FILL},
}


def _register_styles(workbook: Workbook) -> None:
    """Named styles, so each cell gets a style id instead of new style objects (much faster)."""
    for kind, options in STYLE_KINDS.items():
        font = Font(name=FONT, bold=bool(options.get("bold")), italic=bool(options.get("italic")))
        for shape, number_format, alignment in (
            ("text", "General", Alignment(wrap_text=True, vertical="top")),
            ("points", POINTS, Alignment(horizontal="right", vertical="top")),
            ("diff", DIFFERENCE, Alignment(horizontal="right", vertical="top")),
            ("whole", "0", Alignment(horizontal="center", vertical="top")),
            ("indent", "General", Alignment(wrap_text=True, vertical="top", indent=2)),
        ):
            style = NamedStyle(
                name=f"kq_{kind}_{shape}",
                font=font,
                border=BORDER,
                alignment=alignment,
                number_format=number_format,
            )
            if "fill" in options:
                style.fill = options["fill"]
            workbook.add_named_style(style)


def _put(
    sheet: Worksheet,
    row: int,
    values: Sequence[Any],
    widths: Sequence[tuple[str, int]],
    *,
    kind: str = "plain",
    shapes: Mapping[int, str] | None = None,
) -> None:
    """One table row: numbers get the points format, text wraps, everything bordered."""
    texts = []
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        number = isinstance(value, (Decimal, int)) and not isinstance(value, bool)
        shape = (shapes or {}).get(column) or ("points" if number else "text")
        cell.style = f"kq_{kind}_{shape}"
        set_text(cell, value)
        if isinstance(value, str) and value:
            texts.append((value, widths[column - 1][1]))
    sheet.row_dimensions[row].height = row_height(texts)


def _summary(sheet: Worksheet, year: int, round_name: str, results: Sequence[ResultEntry]) -> None:
    _title(
        sheet,
        len(SUMMARY_COLUMNS),
        (
            f"KẾT QUẢ THẨM ĐỊNH, XẾP HẠNG ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM {year}",
            f"{round_name} — số liệu lập ngày {format_day(date.today())}; "
            "xếp hạng trong từng nhóm đối tượng (Phụ lục)",
        ),
    )
    _header(sheet, SUMMARY_HEADER_ROW, SUMMARY_COLUMNS)
    row = SUMMARY_HEADER_ROW
    for result in results:
        row += 1
        card = result.scorecard
        scored = not _nothing_scored(card)
        rating = card.rating
        _put(
            sheet,
            row,
            (
                result.rank,
                result.code,
                result.name,
                result.category,
                card.self_total,
                card.total if scored else None,
                card.maximum,
                rating.base_band.value if rating and result.final else "",
                penalties_text(result),
                final_band_text(result),
                result.status_label,
            ),
            SUMMARY_COLUMNS,
            shapes={1: "whole", 4: "whole"},
        )
    last = get_column_letter(len(SUMMARY_COLUMNS))
    sheet.auto_filter.ref = f"A{SUMMARY_HEADER_ROW}:{last}{max(row, SUMMARY_HEADER_ROW + 1)}"
    sheet.freeze_panes = sheet.cell(row=SUMMARY_HEADER_ROW + 1, column=4)
    setup_print(sheet, f"{SUMMARY_HEADER_ROW}:{SUMMARY_HEADER_ROW}")


def _sheet_name(result: ResultEntry, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "", FORBIDDEN.sub("", result.code or result.name))[:28] or "Don vi"
    name, number = base, 2
    while name.casefold() in {u.casefold() for u in used}:
        name, number = f"{base[:26]}_{number}", number + 1
    used.add(name)
    return name


def _agency_sheet(sheet: Worksheet, year: int, result: ResultEntry) -> None:
    card = result.scorecard
    _title(
        sheet,
        len(AGENCY_COLUMNS),
        (
            f"KẾT QUẢ THẨM ĐỊNH NĂM {year}: {result.name.upper()}",
            f"Phụ lục {result.category} — {result.catalog.title} — {result.status_label}",
        ),
    )
    _header(sheet, AGENCY_HEADER_ROW, AGENCY_COLUMNS)
    row = AGENCY_HEADER_ROW
    for group, score in zip(result.catalog.groups, card.groups, strict=True):
        row += 1
        _put(
            sheet,
            row,
            (
                group.code,
                group.name,
                group.maximum,
                score.self_points,
                _group_points(card, group, score.points),
                None,
                "",
            ),
            AGENCY_COLUMNS,
            kind="group",
        )
        for criterion in group.criteria:
            for item in (criterion, *criterion.sub_items):
                row += 1
                _criterion_row(sheet, row, item, result, sub=item is not criterion)
    row += 1
    _put(
        sheet,
        row,
        (
            "",
            "TỔNG CỘNG",
            card.maximum,
            card.self_total,
            None if _nothing_scored(card) else card.total,  # blank, not 0, before any scoring
            None if _nothing_scored(card) else card.total - card.self_total,
            "",
        ),
        AGENCY_COLUMNS,
        kind="total",
        shapes={6: "diff"},
    )
    _rating_block(sheet, row + 2, result)
    sheet.freeze_panes = sheet.cell(row=AGENCY_HEADER_ROW + 1, column=3)
    setup_print(sheet, f"{AGENCY_HEADER_ROW}:{AGENCY_HEADER_ROW}")


def _criterion_row(sheet: Worksheet, row: int, item: Criterion, result: ResultEntry, *, sub: bool) -> None:
    score = result.scorecard.rows[item.code]
    note = result.notes.get(item.code, "")
    if score.overridden:
        note = (note + " " if note else "") + f"(Điểm nhập trực tiếp, ghi đè cách tính «{item.rule.label}».)"
    if score.conflict:
        note = (note + " " if note else "") + "(Có xung đột chưa giải quyết.)"
    _put(
        sheet,
        row,
        (item.code, item.name, item.maximum, score.self_points, score.points, score.difference, note),
        AGENCY_COLUMNS,
        kind="sub" if sub else "plain",
        shapes={2: "indent", 6: "diff"} if sub else {6: "diff"},
    )


def _rating_block(sheet: Worksheet, row: int, result: ResultEntry) -> None:
    card = result.scorecard
    rating = card.rating
    lines: list[tuple[str, str]] = [("Xếp loại:", final_band_text(result))]
    if rating is not None and result.final:
        lines.insert(0, ("Xếp loại cơ sở:", rating.base_band.value))
        reasons = result.reasons or rating.reasons
        lines.extend(("Lý do:" if i == 0 else "", reason) for i, reason in enumerate(reasons))
    if result.rank is not None:
        lines.append(("Xếp hạng trong Phụ lục:", str(result.rank)))
    merged = sum(width for _label, width in AGENCY_COLUMNS[2:])
    for offset, (label, text) in enumerate(lines):
        label_cell = sheet.cell(row=row + offset, column=2)
        set_text(label_cell, label)
        label_cell.font = Font(name=FONT, bold=True)
        label_cell.alignment = Alignment(horizontal="right", vertical="top")
        sheet.merge_cells(start_row=row + offset, start_column=3, end_row=row + offset, end_column=7)
        cell = sheet.cell(row=row + offset, column=3)
        set_text(cell, text)
        cell.font = Font(name=FONT, bold=offset <= 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row + offset].height = row_height([(text, merged)])
