"""Importing a returned form from the main window: options, preview, confirm, live update."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog, QMessageBox, QPlainTextEdit

from ictappraise.io import excel_form
from ictappraise.services import excel_import
from ictappraise.store import repository
from ictappraise.ui import excel_actions, operations
from ictappraise.ui.checklist_model import COL_SELF
from tests.ui.test_main_window import select  # the window fixture is in tests/ui/conftest.py


def edit_count(ws) -> int:
    with ws.db.reading() as session:
        return repository.count_edits(session)


def filled_form(ws, agency_id: str, folder: Path) -> Path:
    path = excel_import.write_form(ws, agency_id, folder / "form.xlsx")
    workbook = load_workbook(path)
    sheet = workbook[excel_form.FORM_SHEET]
    row = next(r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == "I.2")
    sheet.cell(row, excel_form.COL["self"]).value = "10,5"  # the decimal comma, as typed in Vietnam
    workbook.save(path)
    return path


def test_import_shows_the_preview_and_applies_on_confirmation(window, tmp_path: Path, monkeypatch) -> None:
    agency_id = select(window, "HUPQ")
    form = filled_form(window.ws, agency_id, tmp_path)
    shown: list[str] = []

    def options_exec(dialog: excel_actions.ImportOptionsDialog) -> QDialog.DialogCode:
        dialog.has_date.setChecked(True)
        dialog.sent.setDate(date(2022, 12, 7))
        return QDialog.DialogCode.Accepted

    def preview_exec(dialog: excel_actions.ImportPreviewDialog) -> QDialog.DialogCode:
        shown.append(dialog.findChild(QPlainTextEdit).toPlainText())
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(excel_actions.ImportOptionsDialog, "exec", options_exec)
    monkeypatch.setattr(excel_actions.ImportPreviewDialog, "exec", preview_exec)
    written = excel_actions.import_forms(window, [form])
    assert written >= 2
    assert "I.2" in shown[0] and "10,5" in shown[0]  # current → new, per criterion, before writing
    assert window.checklist_model.index_of_code("I.2", COL_SELF).data() == "10,5"
    detail = window.ws.detail(agency_id)
    assert detail.facts.report_sent == date(2022, 12, 7)
    assert "muộn 7 ngày" in window.facts.days_late.text()
    assert excel_actions.import_forms(window, [form]) == 0  # the same file again changes nothing


def test_a_refused_file_changes_nothing(window, tmp_path: Path, monkeypatch) -> None:
    select(window, "HUPQ")
    bad = tmp_path / "renamed.xlsx"
    bad.write_text("Mã;Tiêu chí\nI.1;20\n", encoding="utf-8")
    monkeypatch.setattr(excel_actions.ImportOptionsDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    previews: list[str] = []

    def preview_exec(dialog: excel_actions.ImportPreviewDialog) -> QDialog.DialogCode:
        previews.append(dialog.findChild(QPlainTextEdit).toPlainText())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(excel_actions.ImportPreviewDialog, "exec", preview_exec)
    before = edit_count(window.ws)
    assert excel_actions.import_forms(window, [bad]) == 0
    assert "Lỗi" in previews[0]
    assert edit_count(window.ws) == before


def test_export_runs_off_the_gui_thread_and_names_the_file(window, tmp_path: Path, monkeypatch) -> None:
    """The worker gets plain data and opens its own Workspace; the status bar names the file."""
    threads: list[threading.Thread] = []
    workspaces: list[object] = []
    original = excel_import.write_results

    def write_results(ws, path: Path) -> Path:
        threads.append(threading.current_thread())
        workspaces.append(ws)
        return original(ws, path)

    monkeypatch.setattr(excel_import, "write_results", write_results)
    out = tmp_path / "ket_qua.xlsx"
    monkeypatch.setattr(excel_actions, "ask_save_file", lambda *_args: out)
    excel_actions.export_results(window)
    assert out.exists() and str(out) in window.statusBar().currentMessage()
    assert threads[0] is not threading.main_thread() and workspaces[0] is not window.ws
    assert not operations.busy()


def test_a_failed_export_reaches_the_user_and_frees_the_window(window, tmp_path: Path, monkeypatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text: shown.append((title, text)))
    not_a_folder = tmp_path / "tệp thường"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setattr(excel_actions, "ask_save_file", lambda *_args: not_a_folder / "ket_qua.xlsx")
    excel_actions.export_results(window)
    assert [title for title, _text in shown] == ["Không ghi được tệp"]
    assert "tệp thường" in shown[0][1]  # the error raised in the worker, shown on the GUI thread
    assert not operations.busy()


def test_a_form_missing_a_criterion_is_refused_in_the_preview(window, tmp_path: Path, monkeypatch) -> None:
    agency_id = select(window, "HUPQ")
    form = filled_form(window.ws, agency_id, tmp_path)
    workbook = load_workbook(form)
    sheet = workbook[excel_form.FORM_SHEET]
    sheet.delete_rows(
        next(r for r in range(excel_form.FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, 1).value == "I.3")
    )
    workbook.save(form)
    monkeypatch.setattr(excel_actions.ImportOptionsDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    previews: list[str] = []

    def preview_exec(dialog: excel_actions.ImportPreviewDialog) -> QDialog.DialogCode:
        previews.append(dialog.findChild(QPlainTextEdit).toPlainText())
        return QDialog.DialogCode.Accepted  # even when accepted, a refused plan writes nothing

    monkeypatch.setattr(excel_actions.ImportPreviewDialog, "exec", preview_exec)
    warned: list[str] = []
    monkeypatch.setattr(excel_actions.QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    before = edit_count(window.ws)
    assert excel_actions.import_forms(window, [form]) == 0
    assert "thiếu dòng của 1 tiêu chí (I.3)" in previews[0]
    assert edit_count(window.ws) == before
