"""Dates typed as written: the whole text is the date, Tab leaves, a sent day starts empty."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from ictappraise.ui.day_edit import DayEdit
from ictappraise.ui.main_window import MainWindow


def select(window: MainWindow, code: str) -> str:
    agency_id = window.ws.find_agency(code).id
    window.agencies.select(agency_id)
    QApplication.processEvents()
    return agency_id


@pytest.mark.parametrize("typed", ["5/12/2022", "05/12/2022", "5-12-2022", "05122022"])
def test_a_typed_date_is_that_date_wherever_the_cursor_was(qtbot, typed: str) -> None:
    edit = DayEdit()
    qtbot.addWidget(edit)
    edit.set_day(date(2022, 11, 27))
    edit.show()
    edit.setFocus()
    edit.setCursorPosition(1)  # inside the day, where QDateEdit typed over one section
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, typed)
    with qtbot.waitSignal(edit.day_done) as done:
        QTest.keyClick(edit, Qt.Key.Key_Return)
    assert done.args == [date(2022, 12, 5)]
    assert edit.day() == date(2022, 12, 5) and edit.text() == "05/12/2022"


def test_a_wrong_date_is_said_and_keeps_the_day(qtbot) -> None:
    edit = DayEdit()
    qtbot.addWidget(edit)
    edit.set_day(date(2022, 11, 27))
    edit.setText("31/02/2022")
    edit.editingFinished.emit()
    assert edit.day() == date(2022, 11, 27)
    assert "không hợp lệ" in edit.error and edit.text() == "31/02/2022"


def test_tab_leaves_the_sent_date_and_records_it(window: MainWindow) -> None:
    agency_id = select(window, "TUPT")  # not signed; sent 02/12/2022
    facts = window.facts
    assert facts.isEnabled() and facts.sent.text() == "02/12/2022"
    facts.sent_known.setFocus()
    QTest.keyClick(facts.sent_known, Qt.Key.Key_Space)  # untick: the sent day is removed
    assert window.ws.detail(agency_id).facts.report_sent is None
    QTest.keyClick(facts.sent_known, Qt.Key.Key_Space)  # tick "Đã gửi" again
    assert facts.sent_known.isChecked() and facts.sent.text() == ""  # not the deadline
    assert window.ws.detail(agency_id).facts.report_sent is None  # nothing recorded yet
    assert QApplication.focusWidget() is facts.sent
    QTest.keyClicks(facts.sent, "5/12/2022")
    QTest.keyClick(facts.sent, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not facts.sent
    assert window.ws.detail(agency_id).facts.report_sent == date(2022, 12, 5)
    assert facts.sent.text() == "05/12/2022"


def test_a_sent_date_after_the_visit_is_asked_once(window: MainWindow, monkeypatch) -> None:
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    agency_id = select(window, "TUPT")  # visited 12/12/2022, sent 02/12/2022
    facts = window.facts
    facts.sent.setText("13/12/2022")
    facts.sent.editingFinished.emit()
    assert "sau ngày thẩm định 12/12/2022" in asked[0]
    assert window.ws.detail(agency_id).facts.report_sent == date(2022, 12, 2)
    assert facts.sent.text() == "02/12/2022"
    facts.sent.setText("13/12/2022")
    facts.sent.editingFinished.emit()  # typed again on purpose: not asked a second time
    assert len(asked) == 1
    assert window.ws.detail(agency_id).facts.report_sent == date(2022, 12, 13)
    assert window.ws.detail(agency_id).facts.report_sent == date(2022, 12, 13)


def test_an_empty_date_does_not_look_entered(qtbot) -> None:
    edit = DayEdit()
    qtbot.addWidget(edit)
    assert edit.text() == "" and edit.day() is None
    assert edit.placeholderText() == "ngày/tháng/năm"
