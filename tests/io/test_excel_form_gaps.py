"""A program's form with a criterion row deleted, or merged cells over the code or score column,
is refused with the rows or criteria named, and nothing is written."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from test_excel_forms import edits, fill_form

from ictappraise.io import excel_form
from ictappraise.services import excel_import as svc
from ictappraise.services.errors import ServiceError
from tests.support import member_ws, run_cli


def _filled(ws, tmp_path: Path) -> tuple[Path, str]:
    agency = ws.find_agency("BTC")
    blank = svc.write_form(ws, agency.id, tmp_path / "blank.xlsx")
    fill_form(blank, tmp_path / "filled.xlsx", ws.catalog(agency.category))
    return tmp_path / "filled.xlsx", agency.id


def _row(sheet, code: str) -> int:
    return next(r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == code)


def _refused(ws, path: Path, *words: str) -> None:
    before = edits(ws)
    plan = svc.plan_form_import(ws, [path])
    message = " ".join(plan.errors)
    for word in words:
        assert word in message, message
    assert plan.changes == []
    assert edits(ws) == before


def test_a_deleted_criterion_row_is_refused_naming_the_criterion(lead_ws, tmp_path: Path) -> None:
    path, _ = _filled(lead_ws, tmp_path)
    book = load_workbook(path)
    sheet = book[excel_form.FORM_SHEET]
    sheet.delete_rows(_row(sheet, "I.2"))
    book.save(path)
    _refused(lead_ws, path, "thiếu dòng của 1 tiêu chí (I.2)", "filled.xlsx")


def test_the_same_form_complete_imports(lead_ws, tmp_path: Path) -> None:
    path, _ = _filled(lead_ws, tmp_path)
    plan = svc.plan_form_import(lead_ws, [path])
    assert plan.errors == [] and plan.changes


def test_merged_code_cells_are_refused_naming_the_rows(lead_ws, tmp_path: Path) -> None:
    path, _ = _filled(lead_ws, tmp_path)
    book = load_workbook(path)
    sheet = book[excel_form.FORM_SHEET]
    first = _row(sheet, "I.2")
    sheet.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
    book.save(path)
    _refused(lead_ws, path, f"dòng {first}–{first + 1}", "«Mã", "gộp")


def test_merged_score_cells_are_refused_naming_the_rows(lead_ws, tmp_path: Path) -> None:
    path, _ = _filled(lead_ws, tmp_path)
    book = load_workbook(path)
    sheet = book[excel_form.FORM_SHEET]
    first = _row(sheet, "I.2")
    column = excel_form.COL["self"]
    sheet.merge_cells(start_row=first, start_column=column, end_row=first + 2, end_column=column)
    book.save(path)
    _refused(lead_ws, path, f"dòng {first}–{first + 2}", "gộp")


def _typed(ws, tmp_path: Path, values: dict[str, object]) -> Path:
    agency = ws.find_agency("BTC")
    path = svc.write_form(ws, agency.id, tmp_path / "typed.xlsx")
    book = load_workbook(path)
    sheet = book[excel_form.FORM_SHEET]
    for code, value in values.items():
        sheet.cell(_row(sheet, code), excel_form.COL["self"]).value = value
    book.save(path)
    return path


def test_the_preview_shows_exactly_what_will_be_stored(lead_ws, tmp_path: Path) -> None:
    path = _typed(lead_ws, tmp_path, {"I.2": 10 / 3, "I.3": 1e-300})
    plan = svc.plan_form_import(lead_ws, [path])
    assert plan.errors == [], plan.errors
    shown = {line.code: line.new for line in plan.files[0].lines}
    assert shown["I.2"] == "3,33" and shown["I.3"] == "0", shown
    svc.apply_import(lead_ws, plan)
    entries = lead_ws.detail(lead_ws.find_agency("BTC").id).entries
    assert entries["I.2"].self_points == Decimal("3.33") and entries["I.3"].self_points == 0
    again = svc.plan_form_import(lead_ws, [path])  # stored already: nothing to show
    assert not [line for line in again.files[0].lines if line.code in ("I.2", "I.3")]


def test_a_huge_score_is_refused_without_hundreds_of_digits(lead_ws, tmp_path: Path) -> None:
    plan = svc.plan_form_import(lead_ws, [_typed(lead_ws, tmp_path, {"I.2": 1e300})])
    message = " ".join(plan.errors)
    assert "I.2" in message and "quá lớn" in message and len(message) < 400, message


def _agency_sheet(ws, path: Path, drop: set[str]) -> Path:
    """A sheet the agency typed itself (no program metadata): every criterion but ``drop``, scored."""
    book = Workbook()
    book.active.append(["Mã", "Tiêu chí", "Điểm tự đánh giá"])
    for leaf in ws.catalog(ws.find_agency("BTC").category).leaves():
        if leaf.code not in drop:
            book.active.append([leaf.code, leaf.name, 0])
    book.save(path)
    return path


def test_an_agency_sheet_missing_criteria_is_refused_naming_them(lead_ws, tmp_path: Path) -> None:
    path = _agency_sheet(lead_ws, tmp_path / "tu-cham.xlsx", {"I.2", "II.1"})
    before = edits(lead_ws)
    plan = svc.plan_form_import(lead_ws, [path], agency="BTC")
    message = " ".join(plan.errors)
    assert "tu-cham.xlsx" in message and "thiếu dòng của 2 tiêu chí (I.2, II.1)" in message, message
    assert plan.changes == [] and plan.warnings == []
    with pytest.raises(ServiceError):
        svc.apply_import(lead_ws, plan)
    assert edits(lead_ws) == before


def test_the_same_agency_sheet_complete_imports(lead_ws, tmp_path: Path) -> None:
    plan = svc.plan_form_import(lead_ws, [_agency_sheet(lead_ws, tmp_path / "du.xlsx", set())], agency="BTC")
    assert plan.errors == [] and plan.changes


def test_the_cli_refuses_an_agency_sheet_missing_criteria(demo_db: Path, tmp_path: Path) -> None:
    ws = member_ws(demo_db, "Chuyên viên C")
    path = _agency_sheet(ws, tmp_path / "tu-cham.xlsx", {"I.3"})
    before = edits(ws)
    ws.db.close()
    args = (
        "import-xlsx",
        "--db",
        str(demo_db),
        str(path),
        "--agency",
        "BTC",
        "--as",
        "Chuyên viên C",
        "--yes",
    )
    result = run_cli(None, *args)
    assert result.returncode != 0
    assert "thiếu dòng của 1 tiêu chí (I.3)" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    ws = member_ws(demo_db, "Chuyên viên C")
    assert edits(ws) == before
    ws.db.close()
