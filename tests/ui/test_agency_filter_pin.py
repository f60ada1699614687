"""Signing an agency under the "Chờ ký" filter keeps it shown (a clerk-test report): the list
keeps it, with a note, until another agency is selected; the main window never switches alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ictappraise.services import appraisal as svc
from ictappraise.services.model import STATUS_READY
from ictappraise.ui.agency_model import ID_ROLE
from ictappraise.ui.checklist_model import COL_INPUT
from ictappraise.ui.main_window import MainWindow


def listed(window: MainWindow) -> list[str]:
    proxy = window.agencies.proxy
    return [proxy.index(row, 0).data(ID_ROLE) for row in range(proxy.rowCount())]


def waiting_to_sign(window: MainWindow) -> list[str]:
    """Filter the panel on "Chờ ký" as the clerk does; the agencies it lists."""
    panel = window.agencies
    panel.status.setCurrentIndex(panel.status.findData(STATUS_READY))
    QApplication.processEvents()
    return listed(window)


def sign(window: MainWindow, agency_id: str) -> None:
    """What «Ghi nhận đã ký» in the minutes dialog does."""
    svc.sign(window.ws, agency_id)
    window.controller.announce({f"agency/{agency_id}/status"})
    QApplication.processEvents()


def test_a_signed_agency_stays_shown_until_another_is_selected(window: MainWindow, qtbot) -> None:
    ready = waiting_to_sign(window)
    assert len(ready) >= 2
    signed = window.ws.find_agency("TUPT").id
    assert signed in ready
    assert window.agencies.select(signed)
    QApplication.processEvents()
    assert window.agency_id == signed and not window.agencies.note.isVisible()
    sign(window, signed)
    assert window.agency_id == signed  # the main window did not switch to another agency
    assert window.agencies.current_id() == signed
    assert window.checklist_model.locked()  # and shows it signed, read-only
    assert listed(window) == ready  # still listed, in its place
    assert window.agencies.note.isVisible()
    assert "Đã ký" in window.agencies.note.text() and "không còn khớp bộ lọc" in window.agencies.note.text()
    table = window.agencies.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down if ready.index(signed) == 0 else Qt.Key.Key_Up)
    QApplication.processEvents()
    other = window.agencies.current_id()
    assert other != signed and window.agency_id == other
    assert listed(window) == [a for a in ready if a != signed]  # now the filter applies
    assert not window.agencies.note.isVisible()
    assert window.agencies.current_id() == other  # dropping it did not move the selection


def test_a_filter_changed_by_hand_still_shows_only_what_it_asks(window: MainWindow) -> None:
    ready = waiting_to_sign(window)
    window.agencies.status.setCurrentIndex(0)  # every status
    assert window.agencies.select(window.ws.find_agency("HUPQ").id)  # not started
    QApplication.processEvents()
    assert waiting_to_sign(window) == ready  # HUPQ is not kept in the "Chờ ký" list
    assert not window.agencies.note.isVisible()


def test_a_score_change_that_leaves_the_filter_keeps_the_agency(window: MainWindow) -> None:
    window.agencies.category.setCurrentIndex(0)
    window.agencies.search.setText("phu quy")
    QApplication.processEvents()
    hupq = window.ws.find_agency("HUPQ").id
    assert listed(window) == [hupq]
    window.agencies.enter_list()  # typing filters only; Enter opens the match
    window.agencies.status.setCurrentIndex(window.agencies.status.findData("not_started"))
    QApplication.processEvents()
    assert listed(window) == [hupq] and window.agency_id == hupq
    model = window.checklist_model
    assert model.setData(model.index_of_code("II.6", COL_INPUT), "7", Qt.ItemDataRole.EditRole)
    QApplication.processEvents()  # now "Đang thẩm định": kept while the clerk scores on
    assert listed(window) == [hupq] and window.agency_id == hupq
    assert "Đang thẩm định" in window.agencies.note.text()
