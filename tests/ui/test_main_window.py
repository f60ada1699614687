"""The workspace window driven as a clerk would: keyboard scoring, live preview, undo, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from ictappraise.domain.numbers import format_points
from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.app import build_window
from ictappraise.ui.checklist_model import CHOICE_ROLE, COL_INPUT, COL_NOTE, COL_POINTS
from ictappraise.ui.launch import application
from ictappraise.ui.main_window import MainWindow


def select(window: MainWindow, code: str) -> str:
    agency_id = window.ws.find_agency(code).id
    window.agencies.select(agency_id)
    QApplication.processEvents()
    assert window.agency_id == agency_id
    return agency_id


def editor() -> QLineEdit | QComboBox:
    QApplication.processEvents()  # Enter commits through a queued call in QAbstractItemDelegate
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit | QComboBox), widget
    return widget


def type_vietnamese(widget: QLineEdit | QComboBox, text: str) -> None:
    """Vietnamese arrives from the input method (Unikey, EVKey) as committed text, not key codes."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def points(window: MainWindow, code: str) -> str:
    return window.checklist_model.index_of_code(code, COL_POINTS).data()


def test_score_with_the_keyboard_updates_checklist_and_preview(window: MainWindow, qtbot) -> None:
    select(window, "HUPQ")  # not yet appraised: every criterion "chưa chấm"
    assert points(window, "I.1") == "chưa chấm"
    assert "Tổng: 0 / 800" in window.preview.total.text()
    window.focus_first_input()
    combo = editor()
    assert isinstance(combo, QComboBox)  # I.1 is a timeliness criterion: a pick list
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # "Đúng hạn"
    qtbot.keyClick(combo, Qt.Key.Key_Return)  # commit, move down to I.2's input
    typed = editor()
    assert isinstance(typed, QLineEdit)
    qtbot.keyClicks(typed, "2")  # two regulations × 10 points
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    ratio = editor()
    qtbot.keyClicks(ratio, "45/50")  # 90 % ≥ the 80 % floor: 0.9 × 20
    qtbot.keyClick(ratio, Qt.Key.Key_Tab)  # Tab goes on to the note of I.3
    note = editor()
    type_vietnamese(note, "Đối chiếu báo cáo")
    qtbot.keyClick(note, Qt.Key.Key_Tab)  # then to the next criterion's input
    assert window.checklist.currentIndex().column() == COL_INPUT
    QApplication.processEvents()
    assert points(window, "I.1") == "20"
    assert points(window, "I.2") == "20"
    assert points(window, "I.3") == "18"
    assert "Tổng: 58 / 800" in window.preview.total.text()
    assert "58 / 120" in [w.text() for w in window.preview.findChildren(type(window.preview.total))]
    assert "tạm tính" in window.preview.band.text()
    row = window.agency_model.rows[window.agency_model.row_of(window.agency_id)]
    assert row.total == Decimal(58)  # the agencies panel is live too
    history = window.ws.history(f"agency/{window.agency_id}/crit/I.3/")
    assert [line.new_value for line in history if line.edit.field.endswith("/note")] == ["Đối chiếu báo cáo"]
    ours = {line.author_name for line in history if line.edit.field.endswith(("/appraised", "/note"))}
    assert ours == {"Nguyễn Thị Thắng"}  # the self score was entered earlier by the secretary


def test_too_high_score_is_refused_with_the_reason(window: MainWindow) -> None:
    select(window, "HUPQ")
    index = window.checklist_model.index_of_code("II.6", COL_INPUT)  # a manual criterion, max 10
    assert window.checklist_model.setData(index, "12", Qt.ItemDataRole.EditRole) is False
    assert "Không nhận giá trị" in window.hint.text() and "vượt điểm tối đa" in window.hint.text()
    assert window.hint.text().count("II.6") == 1  # the code once, not "Tiêu chí II.6: Tiêu chí II.6"
    assert points(window, "II.6") == "chưa chấm"
    assert window.checklist_model.setData(index, "7,5", Qt.ItemDataRole.EditRole) is True
    assert points(window, "II.6") == "7,5"
    assert "Không nhận" not in window.hint.text() or "#a00000" not in window.hint.styleSheet()


def test_a_refused_value_stays_in_its_cell_to_be_corrected(window: MainWindow, qtbot) -> None:
    select(window, "HUPQ")
    window.checklist.setCurrentIndex(window.checklist_model.index_of_code("II.6", COL_INPUT))
    window.focus_first_input()  # F2 starts on the selected row, not on I.1
    typed = editor()
    assert window.checklist.currentIndex().data(Qt.ItemDataRole.UserRole + 11) == "II.6"
    qtbot.keyClicks(typed, "12")  # above the maximum of 10
    qtbot.keyClick(typed, Qt.Key.Key_Return)
    again = editor()
    assert window.checklist.currentIndex().data(Qt.ItemDataRole.UserRole + 11) == "II.6"
    assert isinstance(again, QLineEdit) and again.text() == "12"
    again.setText("9,5")
    qtbot.keyClick(again, Qt.Key.Key_Return)
    editor()
    assert points(window, "II.6") == "9,5"


def test_a_zero_sub_item_is_not_a_failed_criterion_and_undo_restores_it(window: MainWindow) -> None:
    agency_id = select(window, "TUPT")  # ready to sign, Tốt
    total = window.ws.detail(agency_id).scorecard.total
    assert "TỐT" in window.preview.band.text() and total >= 760
    yes_no = window.checklist_model.index_of_code("I.4.a", COL_INPUT)
    assert window.checklist_model.setData(yes_no, False, CHOICE_ROLE)
    assert points(window, "I.4.a") == "0"
    assert points(window, "I.4") == "15"  # the criterion sums its sub-items: 15 is not 0
    assert f"Tổng: {format_points(total - 10)} / 800" in window.preview.total.text()
    assert "TỐT" in window.preview.band.text()
    assert "Hạ một bậc" not in window.preview.penalties.text()
    window.controller.undo_stack.undo()
    assert points(window, "I.4.a") == "10"
    assert f"Tổng: {format_points(total)} / 800" in window.preview.total.text()
    window.controller.undo_stack.redo()
    assert points(window, "I.4.a") == "0"


def test_failed_criterion_and_late_report_give_their_reasons(window: MainWindow) -> None:
    agency_id = select(window, "TUPT")
    model = window.checklist_model
    assert model.setData(model.index_of_code("I.1", COL_INPUT), "missing", CHOICE_ROLE)
    assert "Hạ một bậc: tiêu chí I.1 đạt 0 điểm" in window.preview.penalties.text()
    assert "KHÁ" in window.preview.band.text()
    window.controller.undo_stack.undo()
    window.facts.sent_known.setChecked(True)
    window.facts.sent.setDate(date(2022, 12, 6))  # deadline 30/11: 6 days late
    assert window.ws.detail(agency_id).facts.report_sent != date(2022, 12, 6)  # not while typing
    QTest.keyClick(window.facts.sent, Qt.Key.Key_Return)  # the clerk finishes the date
    detail = window.ws.detail(agency_id)
    assert detail.facts.days_late == 6
    assert "Không xếp loại Tốt: gửi báo cáo muộn 6 ngày" in window.preview.penalties.text()
    assert "KHÁ" in window.preview.band.text()


def test_signed_visit_is_read_only(window: MainWindow) -> None:
    select(window, "HUTP")
    index = window.checklist_model.index_of_code("I.2", COL_INPUT)
    assert not (window.checklist_model.flags(index) & Qt.ItemFlag.ItemIsEditable)
    assert not window.facts.isEnabled()
    assert "đã khóa" in window.hint.text()


def test_state_survives_closing_and_reopening(qtbot, demo_db: Path) -> None:
    application()
    db = open_database(demo_db)
    ws = Workspace(db)
    ws.actor = lead_actor(ws, "test-device")
    first = build_window(ws)
    qtbot.addWidget(first)
    agency_id = ws.find_agency("HUPQ").id
    first.agencies.select(agency_id)
    model = first.checklist_model
    assert model.setData(model.index_of_code("IV.9", COL_INPUT), "3,25", Qt.ItemDataRole.EditRole)
    total = first.preview.total.text()
    first.close()
    db.close()
    again = Workspace(open_database(demo_db))
    again.actor = lead_actor(again, "test-device")
    second = build_window(again)
    qtbot.addWidget(second)
    second.agencies.select(agency_id)
    assert second.checklist_model.index_of_code("IV.9", COL_POINTS).data() == "3,25"
    assert second.preview.total.text() == total
    second.close()
    again.db.close()


def test_models_pass_the_model_tester(window: MainWindow, qtmodeltester) -> None:
    select(window, "VPTU")
    qtmodeltester.check(window.agency_model)
    qtmodeltester.check(window.agencies.proxy)
    qtmodeltester.check(window.checklist_model)


def test_filters_find_today_and_search(window: MainWindow) -> None:
    proxy = window.agencies.proxy
    assert proxy.rowCount() == 25
    window.agencies.show_today()  # 14/12/2022 in this test
    names = {proxy.index(r, 1).data() for r in range(proxy.rowCount())}
    assert names == {
        "Huyện ủy Tánh Linh",
        "Văn phòng Tỉnh ủy",
        "Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
    }
    items = window.agencies.visit_date.count()
    window.agencies.show_today()
    assert window.agencies.visit_date.count() == items  # no second "14/12/2022"
    window.agencies.visit_date.setCurrentIndex(0)
    window.agencies.search.setText("bắc bình")
    assert proxy.rowCount() == 1
    window.agencies.search.setText("phu quy")  # typed without diacritics
    assert [proxy.index(r, 1).data() for r in range(proxy.rowCount())] == ["Huyện ủy Phú Quý"]
    window.agencies.search.clear()
    window.agencies.category.setCurrentIndex(window.agencies.category.findData(3))
    assert proxy.rowCount() == 5


def test_an_undo_refused_after_signing_says_so_and_leaves_the_stack_honest(
    window: MainWindow, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ictappraise.services import minutes

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    agency_id = select(window, "TUPT")  # ready to sign
    note = window.checklist_model.index_of_code("I.5", COL_NOTE)
    assert window.checklist_model.setData(note, "Ghi chú trước khi ký")
    minutes.sign(window.ws, agency_id)  # signed meanwhile (another dialog)
    window.controller.undo_stack.undo()
    assert shown and "đã ký" in shown[0]
    assert window.controller.undo_stack.count() == 0  # the refused step is gone, not "undone"
    assert window.ws.detail(agency_id).entries["I.5"].note == "Ghi chú trước khi ký"


def test_pick_lists_show_points_and_a_zero_row_is_marked(window: MainWindow) -> None:
    from ictappraise.ui.checklist_view import ChecklistDelegate
    from ictappraise.ui.style import ERROR_BACKGROUND

    select(window, "TUPT")
    model = window.checklist_model
    index = model.index_of_code("I.1", COL_INPUT)  # timeliness, max 20, late 10
    combo = ChecklistDelegate().createEditor(window.checklist.viewport(), None, index)
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[1:] == ["Đúng hạn — 20 đ", "Chậm — 10 đ", "Không có — 0 đ"]
    combo.deleteLater()
    assert model.setData(index, "missing", CHOICE_ROLE)
    points_cell = model.index_of_code("I.1", COL_POINTS)
    assert points_cell.data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert "hạ một bậc" in points_cell.data(Qt.ItemDataRole.ToolTipRole)


def test_every_menu_letter_leads_to_one_place(window) -> None:
    """Alt+letter opens one menu, and a letter inside a menu picks one item (no two share it)."""
    from PySide6.QtWidgets import QMenu

    def letters(texts: list[str]) -> list[str]:
        found = []
        for text in texts:
            at = text.replace("&&", "").find("&")
            if at >= 0:
                found.append(text.replace("&&", "")[at + 1].casefold())
        return found

    bar = window.menuBar()
    menus = [a.menu() for a in bar.actions() if isinstance(a.menu(), QMenu)]
    tops = letters([a.text() for a in bar.actions()])
    assert len(tops) == len(menus) and len(set(tops)) == len(tops), tops
    for menu in menus:
        inside = letters([a.text() for a in menu.actions() if not a.isSeparator()])
        assert len(set(inside)) == len(inside), (menu.title(), inside)
