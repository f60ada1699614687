"""The self-assessment form an agency fills without calling the office, cell by cell."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from ictappraise.io import excel_form
from ictappraise.services import excel_import as svc


def _form(lead_ws, tmp_path: Path, code: str = "HUTP"):
    agency = lead_ws.find_agency(code)
    path = svc.write_form(lead_ws, agency.id, tmp_path / f"{code}.xlsx")
    sheet = load_workbook(path)[excel_form.FORM_SHEET]
    rows = {
        sheet.cell(r, 1).value: r
        for r in range(excel_form.FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(r, 1).value is not None
    }
    return sheet, rows, lead_ws.catalog(agency.category), path


def test_every_rule_has_its_scale_in_words_and_tiers_read_naturally(lead_ws, tmp_path: Path) -> None:
    sheet, rows, catalog, _path = _form(lead_ws, tmp_path)
    col = excel_form.COL["method"]
    for leaf in catalog.leaves():
        text = sheet.cell(rows[leaf.code], col).value
        # The scale is printed, unless the catalog's words already give every step of it.
        steps = excel_form.scale_points(leaf)
        assert excel_form.scale_text(leaf)[1:] in text or all(f"{p} điểm" in text for p in steps), leaf.code
    tiered = [leaf for leaf in catalog.leaves() if leaf.rule.kind == "tiered"]
    assert tiered
    for leaf in tiered:
        text = sheet.cell(rows[leaf.code], col).value
        top = max(leaf.rule.tiers, key=lambda t: t.at_least)
        assert f"ừ {top.at_least} {leaf.rule.unit} trở lên" in text, text
        assert "dưới 1 " not in text  # "không có … nào: 0 điểm" instead
    portal = sheet.cell(rows["III.6"], col).value
    assert "Thang điểm:" in portal and "trở lên: 40 điểm" in portal  # III.6: 40 points, its scale shown


def test_required_evidence_comes_from_the_catalog(lead_ws, tmp_path: Path) -> None:
    sheet, rows, catalog, _path = _form(lead_ws, tmp_path)
    col = excel_form.COL["required"]
    assert sheet.cell(excel_form.HEADER_ROW, col).value == "Tài liệu kiểm chứng cần có"
    with_evidence = [leaf for leaf in catalog.leaves() if leaf.evidence]
    assert with_evidence
    for leaf in with_evidence:
        assert sheet.cell(rows[leaf.code], col).value == leaf.evidence
        assert sheet.cell(rows[leaf.code], col).protection.locked is True


def test_only_the_agency_inputs_are_unlocked(lead_ws, tmp_path: Path) -> None:
    sheet, rows, catalog, _path = _form(lead_ws, tmp_path)
    assert sheet.protection.sheet is True
    for leaf in catalog.leaves():
        row = rows[leaf.code]
        assert sheet.cell(row, excel_form.COL["self"]).protection.locked is False
        assert sheet.cell(row, excel_form.COL["evidence"]).protection.locked is False
        assert sheet.cell(row, excel_form.COL["appraised"]).protection.locked is True
        assert sheet.cell(row, excel_form.COL["note"]).protection.locked is True


def test_signature_block_and_no_identifier_on_the_sheet(lead_ws, tmp_path: Path) -> None:
    sheet, _rows, catalog, _path = _form(lead_ws, tmp_path)
    texts = [str(cell.value) for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    joined = " | ".join(texts)
    for expected in (
        "THỦ TRƯỞNG ĐƠN VỊ",
        "(ký, đóng dấu, ghi rõ họ tên)",
        "NGƯỜI LẬP BIỂU",
        "Họ và tên:",
        "Điện thoại liên hệ:",
    ):
        assert expected in joined, expected
    phone = next(
        cell for row in sheet.iter_rows() for cell in row if cell.value == "Điện thoại liên hệ: ………………………"
    )
    assert phone.protection.locked is False
    assert catalog.checksum() not in joined and catalog.version not in joined
    assert "Bộ tiêu chí mẫu" not in joined and "mã kiểm tra" not in joined
    instructions = next(t for t in texts if t.startswith("Hướng dẫn"))
    assert "dấu phẩy" not in instructions and "dấu thập phân mà Excel trên máy đang dùng" in instructions


def test_a_returned_form_still_imports(lead_ws, tmp_path: Path) -> None:
    sheet, rows, catalog, path = _form(lead_ws, tmp_path, "HUPQ")
    workbook = load_workbook(path)
    sheet = workbook[excel_form.FORM_SHEET]
    for leaf in catalog.leaves():
        sheet.cell(rows[leaf.code], excel_form.COL["self"]).value = float(leaf.maximum)
        sheet.cell(rows[leaf.code], excel_form.COL["evidence"]).value = "Có hồ sơ"
    workbook.save(path)
    plan = svc.plan_form_import(lead_ws, [path])
    assert plan.errors == [], plan.errors
    assert svc.apply_import(lead_ws, plan) > 0
    detail = lead_ws.detail(lead_ws.find_agency("HUPQ").id)
    for leaf in catalog.leaves():
        assert detail.entries[leaf.code].self_points == leaf.maximum
        assert detail.entries[leaf.code].self_evidence == "Có hồ sơ"
