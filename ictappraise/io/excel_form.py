"""The self-assessment form of one agency (.xlsx) and the metadata that identifies it.

The form: a header block (round, agency, category, maximum, deadline, instructions), then
Mã | Tiêu chí | Điểm tối đa | Cách tính điểm (with the scale in words) | Điểm tự đánh giá |
Tài liệu kiểm chứng của đơn vị | Tài liệu kiểm chứng cần có | Điểm thẩm định | Ghi chú with
group subtotal formulas and a total row, then the signature block (preparer, phone, head of
the agency). Only the agency's input cells are unlocked; score cells validate 0..max. A hidden
sheet (and custom document properties, as a second copy) says which round, agency and catalog
version the form belongs to: no identifier shows on the form itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ictappraise.domain.catalog import Catalog, Criterion
from ictappraise.domain.dates import format_day
from ictappraise.domain.numbers import format_points
from ictappraise.domain.text_safety import sanitize
from ictappraise.io.excel_print import CHARS_PER_WIDTH, FONT_NAME, LINE_HEIGHT, fit_height, setup_print

FORM_KIND = "ictappraise-self-assessment"
FORMAT_VERSION = "1"
META_SHEET = "_ictappraise"
META_PREFIX = "ictappraise_"
FORM_SHEET = "Tự đánh giá"
HEADER_ROW = 11
FIRST_ROW = HEADER_ROW + 1
POINTS_FORMAT = "0.00"
#: A criterion's maximum as written in the catalog ("20", "7,5"), not "20,00".
MAXIMUM_FORMAT = "General"

COLUMNS = (
    ("code", "Mã", 8),
    ("name", "Tiêu chí", 40),
    ("maximum", "Điểm tối đa", 8),
    ("method", "Cách tính điểm", 34),
    ("self", "Điểm tự đánh giá", 10),
    ("evidence", "Tài liệu kiểm chứng của đơn vị", 28),
    ("required", "Tài liệu kiểm chứng cần có", 28),
    ("appraised", "Điểm thẩm định", 10),
    ("note", "Ghi chú", 22),
)
COL = {key: index for index, (key, _label, _width) in enumerate(COLUMNS, start=1)}

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
GROUP_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TEAM_FILL = PatternFill("solid", fgColor="E2EFDA")
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)

INSTRUCTIONS = (
    "Hướng dẫn: đơn vị nhập điểm tự đánh giá vào các ô màu vàng ở cột «Điểm tự đánh giá» và ghi tài liệu "
    "kiểm chứng ở cột «Tài liệu kiểm chứng của đơn vị», theo cột «Tài liệu kiểm chứng cần có» bên cạnh. "
    "Điểm mỗi tiêu chí là một số từ 0 đến điểm tối đa; số lẻ nhập bằng dấu thập phân mà Excel trên máy "
    "đang dùng (ô không nhận nội dung không phải là số). Tiêu chí có tiểu mục được tính bằng tổng điểm các "
    "tiểu mục. Không sửa cột Mã, không thêm, xóa hoặc đổi thứ tự dòng. Cột «Điểm thẩm định» và «Ghi chú» "
    "(màu xanh, đã khóa) do Tổ thẩm định ghi. Ghi tên, số điện thoại người lập biểu và trình thủ trưởng "
    "đơn vị ký ở cuối phiếu; gửi phiếu kèm báo cáo kết quả ứng dụng công nghệ thông tin đúng thời hạn."
)


@dataclass(frozen=True)
class FormMeta:
    """What a form says about itself (from its hidden sheet or document properties)."""

    round_key: str
    agency_id: str
    agency_code: str
    agency_name: str
    category: int
    catalog_version: str
    catalog_checksum: str


@dataclass(frozen=True)
class FormInfo:
    """What the writer needs to know besides the catalog."""

    round_key: str
    round_name: str
    year: int
    issuer: str
    agency_id: str
    agency_code: str
    agency_name: str
    category: int
    deadline: date | None


def set_text(cell: Cell, value: Any) -> None:
    """Write a value; text starting with =, +, - or @ stays text, never a formula.

    Control characters an older build stored are written as U+FFFD: openpyxl refuses them."""
    if isinstance(value, str):
        value = sanitize(value)
    cell.value = value
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        cell.data_type = "s"
        cell.quotePrefix = True


def scale_text(criterion: Criterion) -> str:
    """Every rule's scale in words; tiers read as a clerk writes them."""
    rule = criterion.rule
    tiers = getattr(rule, "tiers", None)
    if rule.kind != "tiered" or not tiers:
        return rule.describe(criterion.maximum)
    unit = getattr(rule, "unit", "")
    ordered = sorted(tiers, key=lambda t: t.at_least, reverse=True)
    parts = [f"từ {ordered[0].at_least} {unit} trở lên: {format_points(ordered[0].points)} điểm"]
    for tier, above in zip(ordered[1:], ordered, strict=False):
        top = above.at_least - 1
        span = f"{tier.at_least} {unit}" if top == tier.at_least else f"từ {tier.at_least} đến {top} {unit}"
        parts.append(f"{span}: {format_points(tier.points)} điểm")
    lowest = ordered[-1].at_least
    parts.append(f"không có {unit} nào: 0 điểm" if lowest == 1 else f"dưới {lowest} {unit}: 0 điểm")
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:]


def method_with_scale(criterion: Criterion) -> str:
    """The catalog's method, then the scale in words when the method does not already give it."""
    scale = scale_text(criterion)
    method = (criterion.method or "").strip()
    if not method or method == scale:
        return scale
    if all(f"{points} điểm" in method for points in scale_points(criterion)):
        return method  # the catalog's own words already give every step of the scale
    return f"{method}\nThang điểm: {scale[:1].lower() + scale[1:]}"


def scale_points(criterion: Criterion) -> list[str]:
    """The point values the scale in words names ("40", "32"…), as printed."""
    return re.findall(r"(\d+(?:,\d+)?) điểm", scale_text(criterion))


def write_form(path: Path, info: FormInfo, catalog: Catalog) -> Path:
    """Write the self-assessment form of one agency; return the path."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = FORM_SHEET
    _header_block(sheet, info, catalog)
    _table(sheet, catalog)
    _write_meta(workbook, info, catalog)
    workbook.properties.title = sanitize(f"Phiếu tự đánh giá — {info.agency_name}")
    workbook.properties.creator = "ictappraise"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _header_block(sheet: Worksheet, info: FormInfo, catalog: Catalog) -> None:
    last = get_column_letter(len(COLUMNS))
    title = f"PHIẾU TỰ ĐÁNH GIÁ, XẾP HẠNG ỨNG DỤNG CÔNG NGHỆ THÔNG TIN NĂM {info.year}"
    _merged(sheet, f"A1:{last}1", title, Font(name=FONT_NAME, bold=True, size=14), center=True)
    _merged(sheet, f"A2:{last}2", info.round_name, Font(name=FONT_NAME, italic=True, size=12), center=True)
    deadline = format_day(info.deadline) or "theo văn bản của Tỉnh ủy"
    start = catalog.title.find("Phụ lục")
    category = catalog.title[start:].strip() if start >= 0 else f"Phụ lục {info.category}"
    lines = (
        ("Đơn vị:", info.agency_name),
        ("Nhóm đối tượng:", category),
        ("Điểm tối đa:", f"{format_points(catalog.maximum)} điểm"),
        ("Hạn gửi:", f"{deadline} (gửi phiếu này kèm báo cáo kết quả ứng dụng công nghệ thông tin)"),
    )
    # The catalog's version and checksum identify the form: they live in the hidden sheet only.
    for offset, (label, text) in enumerate(lines, start=3):
        _merged(sheet, f"A{offset}:{last}{offset}", f"{label} {text}", Font(name=FONT_NAME, bold=offset == 3))
    _merged(sheet, f"A7:{last}9", INSTRUCTIONS, Font(name=FONT_NAME, italic=True), center=False)
    total = sum(width for _key, _label, width in COLUMNS)
    per_line = int(total * CHARS_PER_WIDTH)
    height = (-(-len(INSTRUCTIONS) // per_line) * LINE_HEIGHT + 4) / 3
    for row in (7, 8, 9):
        sheet.row_dimensions[row].height = height
    sheet.row_dimensions[1].height = 22


def _merged(sheet: Worksheet, ref: str, text: str, font: Font, *, center: bool = False) -> None:
    sheet.merge_cells(ref)
    cell = sheet[ref.split(":")[0]]
    set_text(cell, text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center" if center else "left", vertical="center", wrap_text=True)


def _table(sheet: Worksheet, catalog: Catalog) -> None:
    for key, label, width in COLUMNS:
        cell = sheet.cell(row=HEADER_ROW, column=COL[key], value=label)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(COL[key])].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32
    validations: dict[Decimal, list[str]] = {}
    row = FIRST_ROW
    group_rows = []
    for group in catalog.groups:
        group_row, row = row, row + 1
        criterion_rows = []
        for criterion in group.criteria:
            criterion_rows.append(row)
            row = _criterion(sheet, criterion, row, validations)
        _group_row(sheet, group_row, group.code, group.name, group.maximum, criterion_rows)
        group_rows.append(group_row)
    _total_row(sheet, row, catalog.maximum, group_rows)
    for number in range(FIRST_ROW, row + 1):
        fit_height(sheet, number)
    last = _signature_block(sheet, row + 2)
    _validations(sheet, validations)
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=COL["maximum"])
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    setup_print(sheet, f"{HEADER_ROW}:{HEADER_ROW}", f"A1:{get_column_letter(len(COLUMNS))}{last}")


def _criterion(
    sheet: Worksheet, criterion: Criterion, row: int, validations: dict[Decimal, list[str]]
) -> int:
    """Write a criterion (and its sub-items); return the next free row."""
    _describe(sheet, row, criterion, indent=0)
    if not criterion.sub_items:
        _inputs(sheet, row, criterion.maximum, validations)
        return row + 1
    first = row + 1
    for offset, sub in enumerate(criterion.sub_items):
        _describe(sheet, first + offset, sub, indent=2)
        _inputs(sheet, first + offset, sub.maximum, validations)
    last = first + len(criterion.sub_items) - 1
    for key in ("self", "appraised"):
        letter = get_column_letter(COL[key])
        formula = f"=MIN(SUM({letter}{first}:{letter}{last}),{format_points(criterion.maximum, comma=False)})"
        _computed(sheet.cell(row=row, column=COL[key]), formula)
    return last + 1


def _describe(sheet: Worksheet, row: int, criterion: Criterion, *, indent: int) -> None:
    values = {
        "code": criterion.code,
        "name": criterion.name,
        "maximum": criterion.maximum,
        "method": method_with_scale(criterion),
        "required": criterion.evidence or "",
    }
    for key in COL:
        cell = sheet.cell(row=row, column=COL[key])
        cell.border = BORDER
        cell.font = Font(name=FONT_NAME, italic=indent > 0)
        cell.alignment = WRAP
        if key in values:
            set_text(cell, values[key])
    sheet.cell(row=row, column=COL["name"]).alignment = Alignment(
        wrap_text=True, vertical="top", indent=indent
    )
    sheet.cell(row=row, column=COL["maximum"]).number_format = MAXIMUM_FORMAT
    sheet.cell(row=row, column=COL["maximum"]).alignment = Alignment(horizontal="center", vertical="top")


def _inputs(sheet: Worksheet, row: int, maximum: Decimal, validations: dict[Decimal, list[str]]) -> None:
    for key, fill in (
        ("self", INPUT_FILL),
        ("evidence", INPUT_FILL),
        ("appraised", TEAM_FILL),
        ("note", TEAM_FILL),
    ):
        cell = sheet.cell(row=row, column=COL[key])
        if fill is INPUT_FILL:  # the team's columns stay locked in the agency's copy
            cell.protection = UNLOCKED
        cell.fill = fill
        if key in ("self", "appraised"):
            cell.number_format = POINTS_FORMAT
            cell.alignment = Alignment(horizontal="center", vertical="top")
            validations.setdefault(maximum, []).append(cell.coordinate)


def _computed(cell: Cell, formula: str) -> None:
    cell.value = formula
    cell.number_format = POINTS_FORMAT
    cell.font = Font(name=FONT_NAME, bold=True)
    cell.alignment = Alignment(horizontal="center", vertical="top")


def _group_row(
    sheet: Worksheet, row: int, code: str, name: str, maximum: Decimal, members: list[int]
) -> None:
    _sum_row(sheet, row, GROUP_FILL, maximum, members, wrap=True)
    set_text(sheet.cell(row=row, column=COL["code"]), code)
    set_text(sheet.cell(row=row, column=COL["name"]), name)


def _total_row(sheet: Worksheet, row: int, maximum: Decimal, group_rows: list[int]) -> None:
    _sum_row(sheet, row, HEADER_FILL, maximum, group_rows, wrap=False)
    set_text(sheet.cell(row=row, column=COL["name"]), "TỔNG CỘNG")


def _sum_row(
    sheet: Worksheet, row: int, fill: PatternFill, maximum: Decimal, summed: list[int], *, wrap: bool
) -> None:
    """A bold filled row with a maximum and, as formulas, the sums of the self and appraised points."""
    for key in COL:
        cell = sheet.cell(row=row, column=COL[key])
        cell.fill = fill
        cell.border = BORDER
        cell.font = Font(name=FONT_NAME, bold=True)
        if wrap:
            cell.alignment = WRAP
    most = sheet.cell(row=row, column=COL["maximum"], value=maximum)
    most.number_format = MAXIMUM_FORMAT
    most.alignment = Alignment(horizontal="center", vertical="top")
    for key in ("self", "appraised"):
        letter = get_column_letter(COL[key])
        _computed(
            sheet.cell(row=row, column=COL[key]), "=SUM(" + ",".join(f"{letter}{r}" for r in summed) + ")"
        )
        sheet.cell(row=row, column=COL[key]).fill = fill


def _signature_block(sheet: Worksheet, row: int) -> int:
    """Preparer (name, phone: to fill) on the left; the head of the agency signs and stamps.
    Returns the block's last row."""
    split = COL["self"]
    last = len(COLUMNS)
    left = f"A{{r}}:{get_column_letter(split - 1)}{{r}}"
    right = f"{get_column_letter(split)}{{r}}:{get_column_letter(last)}{{r}}"
    bold, italic = Font(name=FONT_NAME, bold=True), Font(name=FONT_NAME, italic=True)
    _merged(sheet, right.format(r=row), "…………, ngày …… tháng …… năm ……", italic, center=True)
    _merged(sheet, left.format(r=row + 1), "NGƯỜI LẬP BIỂU", bold, center=True)
    _merged(sheet, right.format(r=row + 1), "THỦ TRƯỞNG ĐƠN VỊ", bold, center=True)
    _merged(sheet, left.format(r=row + 2), "(ký, ghi rõ họ tên)", italic, center=True)
    _merged(sheet, right.format(r=row + 2), "(ký, đóng dấu, ghi rõ họ tên)", italic, center=True)
    for offset in (3, 4, 5):
        sheet.row_dimensions[row + offset].height = LINE_HEIGHT + 4
    _merged(sheet, left.format(r=row + 6), "Họ và tên: ………………………………", Font(name=FONT_NAME))
    _merged(sheet, left.format(r=row + 7), "Điện thoại liên hệ: ………………………", Font(name=FONT_NAME))
    for offset in (6, 7):  # the preparer types here: unlocked like the other inputs
        sheet.cell(row=row + offset, column=1).protection = UNLOCKED
    return row + 7


def _validations(sheet: Worksheet, validations: dict[Decimal, list[str]]) -> None:
    for maximum, cells in validations.items():
        shown = format_points(maximum)
        rule = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=format_points(maximum, comma=False),
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorTitle="Điểm không hợp lệ",
            error=f"Nhập một số từ 0 đến {shown} (điểm tối đa của tiêu chí).",
            promptTitle="Điểm",
            prompt=f"Từ 0 đến {shown} điểm.",
        )
        for coordinate in cells:
            rule.add(coordinate)
        sheet.add_data_validation(rule)


def _meta_values(info: FormInfo, catalog: Catalog) -> list[tuple[str, str]]:
    return [
        ("kind", FORM_KIND),
        ("format_version", FORMAT_VERSION),
        ("round_key", info.round_key),
        ("agency_id", info.agency_id),
        ("agency_code", info.agency_code),
        ("agency_name", info.agency_name),
        ("category", str(info.category)),
        ("catalog_version", catalog.version),
        ("catalog_checksum", catalog.checksum()),
    ]


def _write_meta(workbook: Workbook, info: FormInfo, catalog: Catalog) -> None:
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    set_text(meta.cell(row=1, column=1), "Thông tin nhận dạng biểu mẫu — không sửa")
    for row, (key, value) in enumerate(_meta_values(info, catalog), start=2):
        meta.cell(row=row, column=1, value=key)
        set_text(meta.cell(row=row, column=2), value)
        ref = f"'{META_SHEET}'!$B${row}"
        workbook.defined_names[META_PREFIX + key] = DefinedName(META_PREFIX + key, attr_text=ref)
        workbook.custom_doc_props.append(StringProperty(name=META_PREFIX + key, value=sanitize(value)))
    meta.protection.sheet = True


def read_meta(workbook: Any) -> FormMeta | None:
    """The form's metadata: the hidden sheet, else the document properties; None if absent."""
    values: dict[str, str] = {}
    if META_SHEET in workbook.sheetnames:
        for key, value in workbook[META_SHEET].iter_rows(min_row=2, max_col=2, values_only=True):
            if key:
                values[str(key)] = "" if value is None else str(value)
    if values.get("kind") != FORM_KIND:
        values = {}
        for prop in getattr(workbook, "custom_doc_props", None) or ():
            if str(prop.name).startswith(META_PREFIX):
                values[prop.name[len(META_PREFIX) :]] = str(prop.value)
    if values.get("kind") != FORM_KIND:
        return None
    try:
        category = int(values.get("category", "0"))
    except ValueError:
        category = 0
    return FormMeta(
        round_key=values.get("round_key", ""),
        agency_id=values.get("agency_id", ""),
        agency_code=values.get("agency_code", ""),
        agency_name=values.get("agency_name", ""),
        category=category,
        catalog_version=values.get("catalog_version", ""),
        catalog_checksum=values.get("catalog_checksum", ""),
    )
