"""The smaller stumbles of issue 15 §11: undo steps that do nothing, save folders, messages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ictappraise.ui.conflicts import send_package
from ictappraise.ui.dialogs.common import ask_save_file
from ictappraise.ui.main_window import MainWindow


def test_tabbing_through_unchanged_months_adds_no_undo_step(window: MainWindow) -> None:
    window.agencies.select(window.ws.find_agency("TUPT").id)
    QApplication.processEvents()
    stack = window.controller.undo_stack
    before = stack.count()
    window.facts.months[0].setFocus()
    for _month in range(4):  # T1–T4 unchanged
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert stack.count() == before
    january = window.facts.months[0]
    january.setFocus()
    january.selectAll()
    QTest.keyClicks(january, "9")
    QTest.keyClick(january, Qt.Key.Key_Tab)
    assert stack.count() == before + 1  # a real change is one step


def test_save_dialogs_start_where_the_last_file_was_saved(qtbot, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    asked: list[str] = []
    answers = iter([str(tmp_path / "a" / "bien_ban.pdf"), str(tmp_path / "a" / "ket_qua.xlsx")])
    (tmp_path / "a").mkdir()

    def fake(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        asked.append(start)
        return next(answers), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    parent = QWidget()
    qtbot.addWidget(parent)
    assert ask_save_file(parent, "Lưu", "bien_ban.pdf", "PDF (*.pdf)") == tmp_path / "a" / "bien_ban.pdf"
    ask_save_file(parent, "Xuất", "ket_qua.xlsx", "Excel (*.xlsx)")
    assert asked[1] == str(tmp_path / "a" / "ket_qua.xlsx")  # the folder of the last save


def test_the_leads_own_package_is_for_the_members(qtbot, lead_ws, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    assert send_package(parent, lead_ws, tmp_path / "lead.ictx") is not None
    assert "gửi tệp này cho các thành viên" in shown[0] and "cho Tổ trưởng" not in shown[0]
