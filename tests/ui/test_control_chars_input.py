"""A control character typed or pasted into a note is refused in the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from ictappraise.ui.checklist_model import COL_NOTE
from ictappraise.ui.main_window import MainWindow


def test_a_pasted_escape_in_a_note_is_refused_with_a_vietnamese_message(window: MainWindow) -> None:
    agency_id = window.ws.find_agency("HUPQ").id
    window.agencies.select(agency_id)
    QApplication.processEvents()
    before = window.ws.detail(agency_id).entries["IV.5"].note
    index = window.checklist_model.index_of_code("IV.5", COL_NOTE)
    window.checklist.setCurrentIndex(index)
    window.checklist.edit(index)
    QApplication.processEvents()
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.setText("Đã xem\x1b[31m tại chỗ")  # as pasted from a terminal
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    hint = window.hint.text()
    assert "Không nhận giá trị" in hint and "U+001B" in hint and "ký tự điều khiển" in hint, hint
    assert window.ws.detail(agency_id).entries["IV.5"].note == before
