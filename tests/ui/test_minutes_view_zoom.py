"""Zoom in the minutes preview: buttons, shortcuts, Ctrl+wheel, the percentage; every preview starts
at fit width."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ictappraise.services.workspace import Workspace
from ictappraise.ui.launch import application
from ictappraise.ui.minutes_view import MinutesDialog
from ictappraise.ui.pdf_zoom import ZOOM_STEPS, next_zoom

FIT_WIDTH = QPdfView.ZoomMode.FitToWidth
FIT_PAGE = QPdfView.ZoomMode.FitInView
CUSTOM = QPdfView.ZoomMode.Custom


def _open(qtbot: QtBot, ws: Workspace, code: str = "HUTP") -> MinutesDialog:
    application()
    dialog = MinutesDialog(ws, ws.find_agency(code).id)
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    QApplication.processEvents()
    return dialog


def _percent(dialog: MinutesDialog) -> int:
    return int(dialog.zoom.label.text().rstrip("%"))


def _wheel(dialog: MinutesDialog, delta: int, modifiers: Qt.KeyboardModifier) -> None:
    viewport = dialog.view.viewport()
    center = QPointF(viewport.rect().center())
    event = QWheelEvent(
        center,
        QPointF(viewport.mapToGlobal(center.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def test_default_is_fit_width_and_shows_the_real_percentage(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _open(qtbot, lead_ws)
    assert dialog.view.zoomMode() == FIT_WIDTH and dialog.zoom.fit_width.isChecked()
    assert not dialog.zoom.fit_page.isChecked()
    shown = dialog.zoom.factor()
    assert _percent(dialog) == round(shown * 100) and 0.5 < shown < 2
    assert dialog.view.horizontalScrollBar().maximum() == 0
    fitted = dialog.view.verticalScrollBar().maximum()
    dialog.view.setZoomFactor(shown)  # the same factor by hand lays the pages out the same
    dialog.view.setZoomMode(CUSTOM)
    assert abs(dialog.view.verticalScrollBar().maximum() - fitted) <= 3


def test_buttons_zoom_in_out_and_fit_the_page(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _open(qtbot, lead_ws)
    fit_width = dialog.zoom.factor()
    dialog.zoom.zoom_in.trigger()
    assert dialog.view.zoomMode() == CUSTOM and not dialog.zoom.fit_width.isChecked()
    assert dialog.view.zoomFactor() == next_zoom(fit_width, 1) > fit_width
    assert dialog.zoom.label.text() == f"{round(dialog.view.zoomFactor() * 100)}%"
    dialog.zoom.zoom_out.trigger()
    dialog.zoom.zoom_out.trigger()
    assert dialog.view.zoomFactor() < fit_width
    dialog.zoom.fit_page.trigger()
    assert dialog.view.zoomMode() == FIT_PAGE and dialog.zoom.fit_page.isChecked()
    assert _percent(dialog) < round(fit_width * 100)  # a whole A4 page is narrower than the width
    dialog.zoom.fit_width.trigger()
    assert dialog.view.zoomMode() == FIT_WIDTH and _percent(dialog) == round(fit_width * 100)


def test_keyboard_shortcuts(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _open(qtbot, lead_ws)
    start = dialog.zoom.factor()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert dialog.view.zoomMode() == CUSTOM and dialog.view.zoomFactor() == next_zoom(start, 1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)  # + without Shift
    assert dialog.view.zoomFactor() == next_zoom(next_zoom(start, 1), 1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert dialog.view.zoomFactor() == next_zoom(start, 1)
    qtbot.keyClick(dialog.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert dialog.view.zoomMode() == FIT_WIDTH and _percent(dialog) == round(start * 100)


def test_ctrl_wheel_zooms_and_a_plain_wheel_scrolls(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _open(qtbot, lead_ws)
    start = dialog.zoom.factor()
    _wheel(dialog, 120, Qt.KeyboardModifier.ControlModifier)
    assert dialog.view.zoomFactor() == next_zoom(start, 1)
    _wheel(dialog, -240, Qt.KeyboardModifier.ControlModifier)  # two notches: two steps
    after_two_down = dialog.view.zoomFactor()
    assert after_two_down == next_zoom(next_zoom(next_zoom(start, 1), -1), -1) < start
    _wheel(dialog, 40, Qt.KeyboardModifier.ControlModifier)  # a touchpad: a third of a notch
    assert dialog.view.zoomFactor() == after_two_down
    _wheel(dialog, 80, Qt.KeyboardModifier.ControlModifier)
    assert dialog.view.zoomFactor() == next_zoom(after_two_down, 1)
    zoom, scroll = dialog.view.zoomFactor(), dialog.view.verticalScrollBar().value()
    _wheel(dialog, -120, Qt.KeyboardModifier.NoModifier)
    assert dialog.view.zoomFactor() == zoom and dialog.view.verticalScrollBar().value() > scroll


def test_zoom_stops_at_the_limits(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _open(qtbot, lead_ws)
    for _ in range(len(ZOOM_STEPS) + 2):
        dialog.zoom.zoom_in.trigger()
    assert dialog.view.zoomFactor() == ZOOM_STEPS[-1] and not dialog.zoom.zoom_in.isEnabled()
    assert dialog.zoom.label.text() == "400%"
    for _ in range(len(ZOOM_STEPS) + 2):
        dialog.zoom.zoom_out.trigger()
    assert dialog.view.zoomFactor() == ZOOM_STEPS[0] and not dialog.zoom.zoom_out.isEnabled()
    assert dialog.zoom.zoom_in.isEnabled()


def test_zoom_keeps_the_place_in_the_document(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _open(qtbot, lead_ws)
    bar = dialog.view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    for action in (dialog.zoom.zoom_in, dialog.zoom.zoom_in, dialog.zoom.fit_page, dialog.zoom.zoom_out):
        height = bar.maximum()
        action.trigger()
        assert bar.maximum() != height  # the document changed size…
        assert abs(bar.value() / bar.maximum() - 0.5) < 0.02  # …and the view stayed in its middle
    dialog.zoom.fit_width.trigger()
    dialog.zoom.zoom_in.trigger()
    dialog.zoom.zoom_in.trigger()
    across = dialog.view.horizontalScrollBar()
    assert across.maximum() > 0 and abs(across.value() / across.maximum() - 0.5) < 0.02  # centred


def test_every_minutes_starts_at_fit_width_whatever_the_last_one_chose(
    qtbot: QtBot, lead_ws: Workspace
) -> None:
    first = _open(qtbot, lead_ws)
    start = first.zoom.factor()
    first.zoom.set_factor(1.5)
    first.reject()
    second = _open(qtbot, lead_ws, "TUPT")
    assert second.view.zoomMode() == FIT_WIDTH and second.zoom.fit_width.isChecked()
    assert second.zoom.factor() == pytest.approx(start) and _percent(second) == round(start * 100)
    second.zoom.fit_page.trigger()
    second.reject()
    third = _open(qtbot, lead_ws, "VPTU")  # a draft: other pages, the same start
    assert third.view.zoomMode() == FIT_WIDTH and third.zoom.factor() == pytest.approx(start)


def test_a_choice_lasts_while_the_dialog_is_open(qtbot: QtBot, lead_ws: Workspace) -> None:
    dialog = _open(qtbot, lead_ws, "TUPT")
    dialog.zoom.set_factor(1.5)
    dialog.reload()  # laid out again (after a signing, a dropped line…)
    QApplication.processEvents()
    assert dialog.view.zoomMode() == CUSTOM and dialog.view.zoomFactor() == 1.5
    assert dialog.zoom.label.text() == "150%"


def test_next_zoom_steps_between_presets() -> None:
    assert next_zoom(1.0, 1) == 1.1 and next_zoom(1.0, -1) == 0.9
    assert next_zoom(1.07, 1) == 1.1 and next_zoom(1.07, -1) == 1.0  # from a fit mode's factor
    assert next_zoom(4.0, 1) == 4.0 and next_zoom(0.25, -1) == 0.25
