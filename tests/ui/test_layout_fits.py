"""Nothing that matters cut at 1366×768, and the room grows with the window."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ictappraise.ui.agency_model import COL_BAND
from ictappraise.ui.app import build_window, first_start_notice
from ictappraise.ui.checklist_model import COL_NAME, COL_NOTE
from ictappraise.ui.main_window import MainWindow


def settle(window: MainWindow, code: str = "HUPQ") -> None:
    window.agencies.select(window.ws.find_agency(code).id)
    for _ in range(3):
        QApplication.processEvents()


def test_penalty_panel_shows_twelve_months_without_scrolling(window: MainWindow) -> None:
    settle(window)
    assert window.side_scroll.verticalScrollBar().maximum() == 0
    viewport = window.side_scroll.viewport()
    for box in window.facts.months:
        corner = box.mapTo(viewport, box.rect().bottomRight())
        assert viewport.rect().contains(corner), box.accessibleName()


def assert_side_fits(window: MainWindow, what: str) -> None:
    """No scrolling in the side panel, and every month box wholly in view."""
    assert window.side_scroll.verticalScrollBar().maximum() == 0, what
    viewport = window.side_scroll.viewport()
    for box in window.facts.months:
        corner = box.mapTo(viewport, box.rect().bottomRight())
        assert viewport.rect().contains(corner), f"{what}: {box.accessibleName()}"


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_agency_of_a_new_file_fits_its_side_panel(qtbot, fresh_lead_ws, size) -> None:
    """A first start (nothing scored: every penalty rule still to check, the list of criteria
    to score, all twelve months empty) at the usual office laptop size and a larger screen."""
    window = build_window(fresh_lead_ws, today=date(2022, 12, 14))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    window.show_notice(first_start_notice())
    for agency in fresh_lead_ws.agencies():
        window.agencies.select(agency.id)
        for _ in range(3):
            QApplication.processEvents()
        assert_side_fits(window, f"{agency.code} at {size}")
    window.close()


def test_every_demo_agency_fits_its_side_panel(window: MainWindow) -> None:
    """Scored, partly scored, signed, with penalties applied or previous years: no scrolling."""
    for agency in window.ws.agencies():
        settle(window, agency.code)
        assert_side_fits(window, agency.code)


def test_group_names_take_one_line_each_cut_to_fit(window: MainWindow) -> None:
    settle(window)
    for name, value in window.preview._group_labels:
        assert name.height() == value.height() < 2 * name.fontMetrics().lineSpacing()
        assert name.toolTip() == name.text()  # the whole name, also in the checklist's group row
        shown = name.shown_text()
        assert shown == name.text() or shown.endswith("…")


def test_month_boxes_do_not_jump_when_the_band_wraps(window: MainWindow) -> None:
    january = window.facts.months[0]
    settle(window, "HUTP")  # "XẾP LOẠI: TỐT": one line; every criterion scored
    where = january.mapTo(window, january.rect().topLeft())
    settle(window, "HUPQ")  # "XẾP LOẠI: YẾU (tạm tính)": two lines; a list of unscored ones
    assert january.mapTo(window, january.rect().topLeft()) == where


def test_agency_names_wrap_and_bands_fit(window: MainWindow) -> None:
    settle(window)
    table = window.agencies.table
    assert table.textElideMode() == Qt.TextElideMode.ElideRight and table.wordWrap()
    needed = table.fontMetrics().horizontalAdvance("Có xung đột")
    assert table.columnWidth(COL_BAND) >= needed + 6


def test_criterion_names_get_two_lines_and_the_room_grows(window: MainWindow) -> None:
    settle(window)
    view = window.checklist
    at_1366 = view.columnWidth(COL_NAME)
    assert at_1366 >= 160 and view.columnWidth(COL_NOTE) >= 80
    assert view.wordWrap()
    i2 = window.checklist_model.index_of_code("I.2", COL_NAME)
    line = view.fontMetrics().lineSpacing()
    assert view.visualRect(i2).height() >= 2 * line  # a long name: two lines, not one cut line
    window.resize(1920, 1080)
    for _ in range(3):
        QApplication.processEvents()
    assert view.columnWidth(COL_NAME) > at_1366 + 300


def test_long_agency_names_get_two_lines_once_the_list_is_shown(window: MainWindow) -> None:
    """Row heights are measured at the widths the shown list has, not while it is being built."""
    settle(window)
    table, proxy = window.agencies.table, window.agencies.proxy
    line = table.fontMetrics().lineSpacing()
    width = table.columnWidth(1)
    for row in range(proxy.rowCount()):
        name = str(proxy.index(row, 1).data())
        if table.fontMetrics().horizontalAdvance(name) > 1.2 * width:
            assert table.rowHeight(row) >= 2 * line, name
