"""Inputs that say what they take: the unit in the editor, the result while typing, a question
before a count that is probably points, points typed with "đ", choices set by their points."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ictappraise.ui.checklist_model import COL_INPUT, COL_POINTS
from ictappraise.ui.checklist_view import ChoiceBox, UnitLineEdit
from ictappraise.ui.main_window import MainWindow


def select(window: MainWindow, code: str) -> str:
    agency_id = window.ws.find_agency(code).id
    window.agencies.select(agency_id)
    QApplication.processEvents()
    return agency_id


def focused() -> object:
    QApplication.processEvents()
    return QApplication.focusWidget()


def open_input(window: MainWindow, code: str) -> object:
    window.checklist.setFocus()
    window.checklist.move_to(window.checklist_model.index_of_code(code, COL_INPUT))
    return focused()


def stored(window: MainWindow, agency_id: str, code: str) -> object:
    return window.ws.detail(agency_id).entries[code].appraisal


def test_the_i2_trap_asks_once_and_points_are_typed_with_d(window: MainWindow, qtbot) -> None:
    agency_id = select(window, "HUPQ")
    editor = open_input(window, "I.2")
    assert isinstance(editor, UnitLineEdit) and editor.unit.text() == "Số quy chế:"
    qtbot.keyClicks(editor, "2")
    assert "Mỗi quy chế" in window.hint.text() and "2 quy chế → 20 điểm" in window.hint.text()
    qtbot.keyClicks(editor, "0")
    assert "20 quy chế → 30 điểm" in window.hint.text() and "vượt tối đa 30" in window.hint.text()
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the first Enter asks, nothing is recorded
    editor = focused()
    assert isinstance(editor, UnitLineEdit) and editor.text() == "20"
    assert stored(window, agency_id, "I.2") is None
    assert "kiểm tra lại" in window.hint.text() and "gõ «20đ»" in window.hint.text()
    editor.setText("20đ")  # the clerk meant 20 points
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    appraisal = stored(window, agency_id, "I.2")
    assert appraisal is not None and appraisal.override == Decimal(20) and appraisal.input is None
    assert window.checklist_model.index_of_code("I.2", COL_POINTS).data() == "20"


def test_a_confirmed_count_is_recorded_on_the_second_enter(window: MainWindow, qtbot) -> None:
    agency_id = select(window, "HUPQ")
    editor = open_input(window, "I.2")
    qtbot.keyClicks(editor, "5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert stored(window, agency_id, "I.2") is None
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # asked once: the second Enter records 5
    QApplication.processEvents()
    appraisal = stored(window, agency_id, "I.2")
    assert appraisal is not None and appraisal.input == 5 and appraisal.override is None
    assert window.checklist_model.index_of_code("I.2", COL_POINTS).data() == "30"


def test_a_choice_is_set_by_typing_its_points(window: MainWindow, qtbot) -> None:
    agency_id = select(window, "HUPQ")
    combo = open_input(window, "I.4.a")  # yes/no worth 10
    assert isinstance(combo, ChoiceBox)
    qtbot.keyClicks(combo, "0")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    QApplication.processEvents()
    appraisal = stored(window, agency_id, "I.4.a")
    assert appraisal is not None and appraisal.input is False
    assert window.checklist_model.index_of_code("I.4.a", COL_POINTS).data() == "0"
