"""Messy but valid workbooks are accepted: the header found anywhere, columns in any order."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side

from ictappraise.io.excel_headers import column_key, fold
from ictappraise.services import excel_import as svc
from ictappraise.services.workspace import ServiceError


def test_header_aliases_tolerate_case_diacritics_and_spaces() -> None:
    assert fold("  ĐIỂM   Tự  đánh giá ") == "diem tu danh gia"
    assert column_key("Điểm tự đánh giá (điểm)") == "self"
    assert column_key("DIEM THAM DINH") == "appraised"
    assert column_key("Tài liệu kiểm chứng/minh chứng") == "evidence"
    assert column_key("Mã tiêu chí") == "code"
    assert column_key("Điểm tối đa") == "maximum"
    assert column_key("Nội dung tiêu chí") == "name"
    assert column_key("Xếp loại") is None


def _other_leaves(ws, agency: str, listed: set[str]) -> list[str]:
    """The agency's criteria a test sheet does not list yet: every criterion keeps its row."""
    catalog = ws.catalog(ws.find_agency(agency).category)
    return [leaf.code for leaf in catalog.leaves() if leaf.code not in listed]


def _agency_typed_sheet(path: Path, rest: list[str] = ()) -> None:
    """A table an agency typed itself: title block, merged cells, extra and reordered columns;
    ``rest``: the codes of blank rows added for the criteria not scored."""
    workbook = Workbook()
    first = workbook.active
    first.title = "Hướng dẫn"
    first["A1"] = "Xem trang sau"
    sheet = workbook.create_sheet("Bảng tự chấm")
    sheet.merge_cells("A1:G1")
    sheet["A1"] = "BAN TỔ CHỨC TỈNH ỦY — BẢNG TỰ CHẤM ĐIỂM ỨNG DỤNG CNTT NĂM 2022"
    sheet.merge_cells("A2:G2")
    sheet["A2"] = "(kèm theo báo cáo số 45-BC/BTCTU)"
    sheet.append([])
    sheet.append(
        ["STT", " MÃ ", "Nội dung tiêu chí", "Minh chứng", "ĐIỂM TỰ CHẤM", "Điểm  tối đa", "Người phụ trách"]
    )
    rows = [
        (1, "I", "Văn bản chỉ đạo, điều hành", None, "=SUM(E6:E7)", 80, None),
        (2, "i.1.", "Kế hoạch ứng dụng CNTT", "Kế hoạch số 12-KH/BTCTU", "17,5", 20, "Anh Nam"),
        (3, " I.2", "Quy chế nội bộ", "Quyết định 30", " 10 ", 15, None),
        (4, "I.4.a", "Phân công lãnh đạo", None, 5, 5, None),
        (5, "I.4.b", "Quán triệt, triển khai", "", 2.5, 5, None),
        *((None, code, None, None, None, None, None) for code in rest),
        (None, None, "Ghi chú: điểm I.3 chờ số liệu", None, None, None, None),
        (None, None, "Tổng cộng", None, "=SUM(E5:E9)", 500, None),
        (None, "Người lập biểu", None, None, None, None, None),
    ]
    for row in rows:
        sheet.append(row)
    for _ in range(5):
        sheet.append([None] * 7)
    workbook.save(path)


def test_agency_typed_sheet_is_accepted_with_agency(lead_ws, tmp_path: Path) -> None:
    path = tmp_path / "tu-cham.xlsx"
    _agency_typed_sheet(path, _other_leaves(lead_ws, "BTC", {"I.1", "I.2", "I.4.a", "I.4.b"}))
    plan = svc.plan_form_import(lead_ws, [path], agency="Ban Tổ chức Tỉnh ủy")
    assert plan.errors == []
    assert plan.files[0].sheet == "Bảng tự chấm"
    svc.apply_import(lead_ws, plan)
    entries = lead_ws.detail(lead_ws.find_agency("BTC").id).entries
    assert entries["I.1"].self_points == Decimal("17.5")
    assert entries["I.1"].self_evidence == "Kế hoạch số 12-KH/BTCTU"
    assert entries["I.2"].self_points == Decimal(10)
    assert entries["I.4.a"].self_points == Decimal(5)
    assert entries["I.4.b"].self_points == Decimal("2.5")
    again = svc.plan_form_import(lead_ws, [path], agency="BTC")
    assert again.changes == []


def test_trailing_formatted_rows_and_leading_blank_rows(lead_ws, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for _ in range(6):
        sheet.append([])
    sheet.append(["Mã", "Tiêu chí", "Điểm tự đánh giá"])
    sheet.append(["I.1", "Kế hoạch", 18])
    for code in _other_leaves(lead_ws, "BTC", {"I.1"}):
        sheet.append([code, None, None])
    for row in range(10, 20000):
        sheet.cell(row, 1).border = Border(left=Side(style="thin"))
    sheet.cell(20001, 1).value = "ghi chú lạc cuối trang"
    workbook.save(tmp_path / "long.xlsx")
    plan = svc.plan_form_import(lead_ws, [tmp_path / "long.xlsx"], agency="BTC")
    assert plan.errors == [] and [line.new for line in plan.files[0].lines] == ["18"]


def test_cached_zero_sum_of_blank_sub_items_is_not_a_score(lead_ws, tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["Mã", "Tiêu chí", "Điểm tự đánh giá"])
    workbook.active.append(["I.4", "Lãnh đạo, chỉ đạo", 0])
    workbook.active.append(["I.4.a", "Phân công", None])
    workbook.active.append(["I.5", "Gửi hồ sơ", 10])
    for code in _other_leaves(lead_ws, "BTC", {"I.4.a", "I.5"}):
        workbook.active.append([code, None, None])
    workbook.save(tmp_path / "partial.xlsx")
    plan = svc.plan_form_import(lead_ws, [tmp_path / "partial.xlsx"], agency="BTC")
    assert plan.errors == [] and [line.code for line in plan.files[0].lines] in ([], ["I.5"])


def test_sent_date_only_for_self_assessment(lead_ws, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="--sent"):
        svc.plan_form_import(lead_ws, [tmp_path / "x.xlsx"], appraised=True, sent=svc.parse_day("05/12/2022"))


def test_dates_accept_both_forms() -> None:
    with pytest.raises(ServiceError):
        svc.parse_day("31/02/2022")
    assert svc.parse_day("2022-12-05") == svc.parse_day("05/12/2022") == svc.parse_day("5/12/2022")
