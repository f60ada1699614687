"""The checklist's current cell, seen and kept: Up/Down stay in the column, and text typed into
a pick list by mistake never changes the score (a clerk-test report)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QInputMethodEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from ictappraise.ui.checklist_model import CODE_ROLE, COL_INPUT, COL_NOTE, COL_POINTS
from ictappraise.ui.checklist_view import CURRENT_CELL_FRAME, ChoiceBox
from ictappraise.ui.main_window import MainWindow


def select(window: MainWindow, code: str) -> None:
    window.agencies.select(window.ws.find_agency(code).id)
    QApplication.processEvents()


def focused() -> object:
    QApplication.processEvents()  # editors open and close through queued calls
    return QApplication.focusWidget()


def cell(window: MainWindow) -> tuple[str, int]:
    current = window.checklist.currentIndex()
    return current.data(CODE_ROLE), current.column()


def near(color: QColor, expected: QColor) -> bool:
    """Equal but for the blending of the row's focus rectangle drawn over the cell's edge."""
    ours = (color.redF(), color.greenF(), color.blueF())
    theirs = (expected.redF(), expected.greenF(), expected.blueF())
    return all(abs(a - b) < 0.06 for a, b in zip(ours, theirs, strict=True))


def pick_list(window: MainWindow) -> ChoiceBox:
    """F2 on the selected row: I.1 (timeliness) opens its pick list."""
    window.focus_first_input()
    combo = focused()
    assert isinstance(combo, ChoiceBox)
    assert not combo.isEditable()
    return combo


def test_up_and_down_keep_the_note_column(window: MainWindow, qtbot) -> None:
    select(window, "HUPQ")
    qtbot.keyClick(pick_list(window), Qt.Key.Key_Tab)  # from I.1's input to I.1's note
    note = focused()
    assert isinstance(note, QLineEdit) and cell(window) == ("I.1", COL_NOTE)
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert focused() is window.checklist and cell(window) == ("I.1", COL_NOTE)
    qtbot.keyClick(window.checklist, Qt.Key.Key_Down)
    assert cell(window) == ("I.2", COL_NOTE)
    qtbot.keyClick(window.checklist, Qt.Key.Key_Down)
    assert cell(window) == ("I.3", COL_NOTE)
    qtbot.keyClick(window.checklist, Qt.Key.Key_Up)
    assert cell(window) == ("I.2", COL_NOTE)
    qtbot.keyClick(window.checklist, Qt.Key.Key_Up)
    assert cell(window) == ("I.1", COL_NOTE)
    qtbot.keyClick(window.checklist, Qt.Key.Key_Up)  # the group row: still the note column
    assert cell(window) == ("I", COL_NOTE)
    qtbot.keyClick(window.checklist, Qt.Key.Key_Down)
    assert cell(window) == ("I.1", COL_NOTE)
    qtbot.keyClick(window.checklist, Qt.Key.Key_F2)  # F2 still starts scoring the row's input
    assert isinstance(focused(), QComboBox) and cell(window) == ("I.1", COL_INPUT)


def test_up_from_an_open_note_editor_stays_in_the_note_column(window: MainWindow, qtbot) -> None:
    select(window, "HUPQ")
    window.checklist.setFocus()
    window.checklist.move_to(window.checklist_model.index_of_code("I.3", COL_NOTE))
    note = focused()
    assert isinstance(note, QLineEdit)
    qtbot.keyClicks(note, "Doi chieu")
    qtbot.keyClick(note, Qt.Key.Key_Up)  # commits the note and moves up, as in a spreadsheet
    assert focused() is window.checklist and cell(window) == ("I.2", COL_NOTE)
    note_cell = window.checklist_model.index_of_code("I.3", COL_NOTE)
    assert note_cell.data() == "Doi chieu"


def test_the_current_cell_is_framed_inside_the_highlighted_row(window: MainWindow) -> None:
    select(window, "TUPT")
    view = window.checklist
    view.setFocus()
    view.setCurrentIndex(window.checklist_model.index_of_code("I.3", COL_NOTE))
    view.scrollTo(view.currentIndex())
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    rect = view.visualRect(view.currentIndex())
    assert near(image.pixelColor(rect.left() + 1, rect.center().y()), CURRENT_CELL_FRAME)
    inside = image.pixelColor(rect.left() + 6, rect.center().y())
    assert inside.lightnessF() > 0.85  # light, not the row's highlight (Fusion tints it a little)
    beside = view.visualRect(view.currentIndex().siblingAtColumn(COL_INPUT))
    highlight = image.pixelColor(beside.center().x(), beside.center().y())
    assert highlight.lightnessF() < 0.7  # the rest of the row stays highlighted
    assert not near(highlight, CURRENT_CELL_FRAME)


def _on_time(window: MainWindow) -> None:
    """Thành ủy Phan Thiết's I.1 scored "Đúng hạn", whatever the demo drew."""
    from ictappraise.domain.scorecard import Appraisal
    from ictappraise.services.appraisal import set_appraisal

    set_appraisal(window.ws, window.ws.find_agency("TUPT").id, "I.1", Appraisal(input="on_time"))


def test_a_note_typed_into_a_pick_list_leaves_the_score_unchanged(window: MainWindow, qtbot) -> None:
    _on_time(window)
    select(window, "TUPT")  # I.1 scored "Đúng hạn" (20)
    combo = pick_list(window)
    assert combo.currentText() == "Đúng hạn — 20 đ"
    qtbot.keyClick(combo, "K")  # alone, "K" begins "Không có": shown as the choice
    assert combo.currentText() == "Không có — 0 đ"
    qtbot.keyClicks(combo, "iem tra bao cao")  # "Kiem…" begins no choice: back to the score
    assert combo.currentText() == "Đúng hạn — 20 đ"
    steps = window.controller.undo_stack.count()
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    focused()
    assert window.checklist_model.index_of_code("I.1", COL_POINTS).data() == "20"
    assert window.controller.undo_stack.count() == steps  # nothing written, no undo step


def test_a_pick_list_never_takes_a_letter_that_begins_no_choice(window: MainWindow, qtbot) -> None:
    select(window, "HUPQ")  # I.1 not scored yet
    for letter in "abefghijlmnopqrstuvwxyz":
        combo = pick_list(window)
        qtbot.keyClick(combo, letter)
        assert combo.currentText() == "— chưa chấm —", letter
        qtbot.keyClick(combo, Qt.Key.Key_Escape)
        focused()
    assert window.checklist_model.index_of_code("I.1", COL_POINTS).data() == "chưa chấm"


def test_type_ahead_follows_the_choice_labels(window: MainWindow, qtbot) -> None:
    select(window, "HUPQ")
    combo = pick_list(window)
    qtbot.keyClicks(combo, "dung")  # without diacritics
    assert combo.currentText() == "Đúng hạn — 20 đ"
    qtbot.keyClick(combo, Qt.Key.Key_X)
    assert combo.currentText() == "— chưa chấm —"
    qtbot.keyClick(combo, Qt.Key.Key_Backspace)
    assert combo.currentText() == "Đúng hạn — 20 đ"
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    focused()
    assert window.checklist_model.index_of_code("I.1", COL_POINTS).data() == "20"


def test_vietnamese_typed_into_a_pick_list_changes_nothing(window: MainWindow, qtbot) -> None:
    _on_time(window)
    select(window, "TUPT")
    combo = pick_list(window)
    for text in ("Chưa", " nộp báo cáo"):  # "Chưa" begins no choice ("Chậm" does not match)
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(combo, event)
        assert combo.currentText() == "Đúng hạn — 20 đ"
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    focused()
    assert window.checklist_model.index_of_code("I.1", COL_POINTS).data() == "20"
