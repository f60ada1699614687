"""A clerk's smaller stumbles: undo steps that do nothing, save folders, messages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from ictappraise.ui.dialogs.common import ask_save_file
from ictappraise.ui.main_window import MainWindow
from ictappraise.ui.merge_dialog import send_package


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


def test_save_dialogs_start_where_the_last_file_was_saved(qtbot, tmp_path: Path, monkeypatch) -> None:
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


def test_the_leads_own_package_is_for_the_members(qtbot, lead_ws, tmp_path: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    assert send_package(parent, lead_ws, tmp_path / "lead.ictx") is not None
    assert "gửi tệp này cho các thành viên" in shown[0] and "cho Tổ trưởng" not in shown[0]


def test_a_first_start_says_it_is_sample_data_and_what_comes_first(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from ictappraise.services.identity import lead_actor
    from ictappraise.ui import app as gui

    monkeypatch.setattr(gui, "_resolve_actor", lambda ws, *_a, **_k: lead_actor(ws, "first-laptop"))
    path = tmp_path / "dot_moi.db"
    window = gui.open_window(path)
    assert window is not None
    qtbot.addWidget(window)
    QApplication.processEvents()
    notice = window.notice.text()
    assert window.notice.isVisible() and "dữ liệu mẫu của đợt 2022" in notice
    assert "Cài đặt đợt, đơn vị, Tổ thẩm định" in notice and "Chuyên viên A" in notice
    assert window.checklist_model.detail is not None
    assert window.preview.band.text() == "CHƯA CHẤM"  # not a red "YẾU" over nothing scored
    window.notice.linkActivated.emit("hide")
    assert not window.notice.isVisible()
    window.close()
    window.ws.db.close()
    again = gui.open_window(path)  # the same file later: it is the lead's data now, no notice
    assert again is not None
    qtbot.addWidget(again)
    assert not again.notice.isVisible()
    again.close()
    again.ws.db.close()


def test_the_self_score_mode_is_said_in_words(window: MainWindow) -> None:
    window.agencies.select(window.ws.find_agency("HUPQ").id)
    QApplication.processEvents()
    window.self_toggle.setFocus()
    QTest.keyClick(window.self_toggle, Qt.Key.Key_Space)
    assert window.self_toggle.isChecked() and window.checklist_model.self_editing
    assert window.self_toggle.text() == "Đang nhập điểm tự ĐG (bấm để thôi)"
    assert "Chế độ nhập điểm tự đánh giá" in window.hint.text()
    QTest.keyClick(window.self_toggle, Qt.Key.Key_Space)
    assert window.self_toggle.text() == "Nhập điểm tự đánh giá" and not window.checklist_model.self_editing
