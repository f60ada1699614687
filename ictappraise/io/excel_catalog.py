"""Read an official criteria sheet (Mã, Tiêu chí, Điểm tối đa, Cách tính điểm, Tài liệu kiểm chứng).

Group rows are recognised by their codes (I, II, …), criteria by III.5 (or a bare 5 under
group III), sub-items by III.5.a (or a bare a under III.5). Every criterion becomes a
``manual`` rule (a criterion with sub-items sums them) and keeps the sheet's "Cách tính
điểm" text as its method. The result is validated by domain.catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ictappraise.domain.catalog import Catalog, CatalogError, catalog_from_dict
from ictappraise.domain.numbers import format_points
from ictappraise.io.excel_errors import ExcelError
from ictappraise.io.excel_table import Table, find_table, table_rows
from ictappraise.io.excel_workbook import open_workbook

GROUP = re.compile(r"^[IVXLC]+$")
CRITERION = re.compile(r"^([IVXLC]+)\.(\d+)$")
SUB_ITEM = re.compile(r"^([IVXLC]+\.\d+)\.([a-zđ]|\d+)$")
BARE_NUMBER = re.compile(r"^\d+$")
BARE_LETTER = re.compile(r"^[a-zđ]$")


@dataclass
class _Node:
    code: str
    row: int
    name: str
    maximum: Decimal | None
    method: str = ""
    evidence: str = ""
    children: list[_Node] = field(default_factory=list)


def read_catalog(path: Path, category: int, expected_maximum: Decimal) -> Catalog:
    """Read, build and validate the catalog of a category from a workbook."""
    workbook = open_workbook(path)
    table = find_table(workbook, path.name, required=("name", "maximum"))
    groups = _parse(table)
    if not groups:
        raise ExcelError(f"{table.where()}: không có dòng nhóm tiêu chí nào (mã I, II, III…).")
    _check_sums(table, groups)
    data = {
        "category": category,
        "title": f"Bộ tiêu chí Phụ lục {category} (nhập từ tệp {path.name})",
        "version": "xlsx",
        "sample": False,
        "groups": [_group_dict(g) for g in groups],
    }
    try:
        catalog = catalog_from_dict(data, expected_maximum=expected_maximum)
    except CatalogError as error:
        raise ExcelError(f"{table.where()}: {error}") from error
    data["version"] = f"xlsx-{catalog.checksum()[:8]}"
    return catalog_from_dict(data, expected_maximum=expected_maximum)


def _parse(table: Table) -> list[_Node]:
    groups: list[_Node] = []
    seen: dict[str, int] = {}
    criterion: _Node | None = None
    for row, raw in table_rows(table):
        code = _full_code(table, row, raw, groups, criterion)
        if code is None:
            continue
        if code in seen:
            raise ExcelError(f"{table.where(row, 'code')}: mã «{code}» bị trùng (đã có ở dòng {seen[code]}).")
        seen[code] = row
        node = _node(table, row, code)
        if GROUP.match(code):
            groups.append(node)
            criterion = None
        elif CRITERION.match(code):
            _parent(table, row, code, groups[-1] if groups else None, code.split(".")[0]).children.append(
                node
            )
            criterion = node
        else:
            prefix = code.rsplit(".", 1)[0]
            _parent(table, row, code, criterion, prefix).children.append(node)
    return groups


def _full_code(table: Table, row: int, raw: str, groups: list[_Node], criterion: _Node | None) -> str | None:
    """The full code of a row (bare "5" under group III is III.5); None for a free-text row."""
    text = raw.strip()
    if GROUP.match(text.upper()) and not BARE_LETTER.match(text):
        return text.upper()
    upper = _upper_roman(text)
    if CRITERION.match(upper) or SUB_ITEM.match(upper):
        return upper
    if BARE_NUMBER.match(text) and groups:
        return f"{groups[-1].code}.{int(text)}"
    if BARE_LETTER.match(text) and criterion is not None:
        return f"{criterion.code}.{text}"
    if " " in text and len(text) > 10 and table.value(row, "maximum") is None:
        return None  # a note under the table, not a criterion
    raise ExcelError(
        f"{table.where(row, 'code')}: mã «{raw}» không đúng dạng (nhóm I, II…; tiêu chí III.5; tiểu mục III.5.a)."
    )


def _upper_roman(text: str) -> str:
    head, _, rest = text.partition(".")
    return f"{head.upper()}.{rest.lower()}" if rest else text


def _parent(table: Table, row: int, code: str, parent: _Node | None, prefix: str) -> _Node:
    if parent is None or parent.code != prefix:
        under = f"nằm dưới {parent.code}" if parent else "không nằm dưới nhóm hoặc tiêu chí nào"
        raise ExcelError(f"{table.where(row, 'code')}: mã «{code}» {under}; cần nằm dưới {prefix}.")
    return parent


def _node(table: Table, row: int, code: str) -> _Node:
    name = table.text(row, "name")
    if not name:
        raise ExcelError(f"{table.where(row, 'name')}: mã «{code}» thiếu tên tiêu chí.")
    return _Node(
        code=code,
        row=row,
        name=name,
        maximum=table.number(row, "maximum", "Điểm tối đa"),
        method=table.text(row, "method"),
        evidence=table.text(row, "evidence"),
    )


def _check_sums(table: Table, groups: list[_Node]) -> None:
    """Fill blank maxima from children and refuse sums that do not add up, naming the row."""
    for group in groups:
        if not group.children:
            raise ExcelError(f"{table.where(group.row, 'code')}: nhóm {group.code} không có tiêu chí nào.")
        for criterion in group.children:
            if criterion.children and criterion.maximum is None:
                criterion.maximum = sum((_max(table, c) for c in criterion.children), Decimal(0))
            _max(table, criterion)
        total = sum((_max(table, c) for c in group.children), Decimal(0))
        if group.maximum is None:
            group.maximum = total
        elif total != group.maximum:
            raise ExcelError(
                f"{table.where(group.row, 'maximum')}: nhóm {group.code} có điểm tối đa "
                f"{format_points(group.maximum)} nhưng các tiêu chí cộng lại {format_points(total)}."
            )


def _max(table: Table, node: _Node) -> Decimal:
    if node.maximum is None:
        raise ExcelError(f"{table.where(node.row, 'maximum')}: tiêu chí {node.code} thiếu điểm tối đa.")
    if node.maximum <= 0:
        raise ExcelError(
            f"{table.where(node.row, 'maximum')}: điểm tối đa của {node.code} phải lớn hơn 0, "
            f"không phải {format_points(node.maximum)}."
        )
    return node.maximum


def _group_dict(group: _Node) -> dict[str, Any]:
    return {
        "code": group.code,
        "name": group.name,
        "max": format_points(group.maximum, comma=False),
        "criteria": [_criterion_dict(c) for c in group.children],
    }


def _criterion_dict(node: _Node) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": node.code,
        "name": node.name,
        "max": format_points(node.maximum, comma=False),
        "rule": {"kind": "sub_items" if node.children else "manual"},
        "evidence": node.evidence,
    }
    if node.method:
        data["method"] = node.method
    if node.children:
        data["sub_items"] = [_criterion_dict(c) for c in node.children]
    return data
