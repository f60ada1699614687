"""Search from the keyboard: typing filters without opening another agency, Enter and ↓ go
into the list, one Tab reaches it, and an agency filtered out is not shown in the checklist."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from ictappraise.ui.agency_model import COL_NAME, ID_ROLE
from ictappraise.ui.main_window import MainWindow


def select(window: MainWindow, code: str) -> str:
    agency_id = window.ws.find_agency(code).id
    window.agencies.select(agency_id)
    QApplication.processEvents()
    return agency_id


def test_typing_filters_but_opens_nothing(window: MainWindow, qtbot) -> None:
    select(window, "HUTP")
    search = window.agencies.search
    search.setFocus()
    qtbot.keyClicks(search, "b")  # Bắc Bình matches, Tuy Phong does not
    QApplication.processEvents()
    assert window.agency_id is None and window.checklist_model.detail is None
    assert window.checklist_model.rowCount() == 0
    assert "Chưa chọn đơn vị" in window.header.text()
    # Nothing of Tuy Phong stays on screen or reachable: previous years, facts, preview, buttons.
    assert window.trend_label.isHidden() and not window.preview.previous.isVisible()
    assert (
        window.facts.isHidden()
        and window.preview.total.text() == ""
        and window.preview.band.styleSheet() == ""
    )
    assert not any(
        b.isEnabled() for b in (window.evidence_button, window.history_button, window.minutes_button)
    )
    qtbot.keyClick(search, Qt.Key.Key_Down)  # into the list: the first match opens
    QApplication.processEvents()
    assert QApplication.focusWidget() is window.agencies.table
    first = window.agencies.proxy.index(0, COL_NAME).data(ID_ROLE)
    assert first is not None and window.agency_id == first
    assert window.facts.isVisible() and window.minutes_button.isEnabled()


def test_typing_a_match_of_the_shown_agency_keeps_it(window: MainWindow, qtbot) -> None:
    agency_id = select(window, "HUTP")
    qtbot.keyClicks(window.agencies.search, "tuy")
    QApplication.processEvents()
    assert window.agency_id == agency_id


def test_an_empty_result_shows_no_agency_and_enter_opens_the_match(window: MainWindow, qtbot) -> None:
    select(window, "HUTP")
    search = window.agencies.search
    qtbot.keyClicks(search, "khong co don vi nay")
    QApplication.processEvents()
    assert window.agencies.proxy.rowCount() == 0
    assert window.agency_id is None and window.checklist_model.rowCount() == 0
    search.clear()
    qtbot.keyClicks(search, "bac binh")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.agency_id == window.ws.find_agency("HUBB").id
    assert QApplication.focusWidget() is window.agencies.table


def test_one_tab_reaches_the_list(window: MainWindow, qtbot) -> None:
    window.agencies.search.setFocus()
    qtbot.keyClick(window.agencies.search, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.agencies.table


def test_the_status_bar_keeps_the_user_after_a_menu(window: MainWindow) -> None:
    menu = window.menuBar().findChildren(QMenu)[0]
    for action in menu.actions():
        action.hover()  # status tips replace any temporary status message
    assert window.user_label.isVisible()
    assert "Người dùng: Nguyễn Thị Thắng" in window.user_label.text()
