"""A program's form with a criterion row deleted, or merged cells over the code or score column,
is refused with the rows or criteria named, and nothing is written (issue 12)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from test_excel_forms import edits, fill_form

from ictappraise.io import excel_form
from ictappraise.services import excel_import as svc


def _filled(ws, tmp_path: Path) -> tuple[Path, str]:  # noqa: ANN001
    agency = ws.find_agency("BTC")
    blank = svc.write_form(ws, agency.id, tmp_path / "blank.xlsx")
    fill_form(blank, tmp_path / "filled.xlsx", ws.catalog(agency.category))
    return tmp_path / "filled.xlsx", agency.id


def _row(sheet, code: str) -> int:  # noqa: ANN001
    return next(r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == code)


def _refused(ws, path: Path, *words: str) -> None:  # noqa: ANN001
    before = edits(ws)
    plan = svc.plan_form_import(ws, [path])
    message = " ".join(plan.errors)
    for word in words:
        assert word in message, message
    assert plan.changes == []
    assert edits(ws) == before


def test_a_deleted_criterion_row_is_refused_naming_the_criterion(lead_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path, _ = _filled(lead_ws, tmp_path)
    book = load_workbook(path)
    sheet = book[excel_form.FORM_SHEET]
    sheet.delete_rows(_row(sheet, "I.2"))
    book.save(path)
    _refused(lead_ws, path, "thiếu dòng của 1 tiêu chí (I.2)", "filled.xlsx")


def test_the_same_form_complete_imports(lead_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path, _ = _filled(lead_ws, tmp_path)
    plan = svc.plan_form_import(lead_ws, [path])
    assert plan.errors == [] and plan.changes


def test_merged_code_cells_are_refused_naming_the_rows(lead_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path, _ = _filled(lead_ws, tmp_path)
    book = load_workbook(path)
    sheet = book[excel_form.FORM_SHEET]
    first = _row(sheet, "I.2")
    sheet.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
    book.save(path)
    _refused(lead_ws, path, f"dòng {first}–{first + 1}", "«Mã", "gộp")


def test_merged_score_cells_are_refused_naming_the_rows(lead_ws, tmp_path: Path) -> None:  # noqa: ANN001
    path, _ = _filled(lead_ws, tmp_path)
    book = load_workbook(path)
    sheet = book[excel_form.FORM_SHEET]
    first = _row(sheet, "I.2")
    column = excel_form.COL["self"]
    sheet.merge_cells(start_row=first, start_column=column, end_row=first + 2, end_column=column)
    book.save(path)
    _refused(lead_ws, path, f"dòng {first}–{first + 2}", "gộp")
