"""Zoom for a PDF preview (QPdfView): −/+, fit width, fit page, Ctrl++/−/0, Ctrl+wheel, a
percentage; the same place of the page stays in view.

Every preview starts at fit width, so two minutes open the same way whatever was chosen in the
last one; a choice lasts while the dialog is open (laying the minutes out again keeps it).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QWheelEvent
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
WHEEL_NOTCH = 120  # angleDelta of one mouse wheel notch
START_MODE = QPdfView.ZoomMode.FitToWidth


def next_zoom(current: float, direction: int) -> float:
    """The preset step above (direction > 0) or below (direction < 0) the current factor."""
    if direction > 0:
        return next((step for step in ZOOM_STEPS if step > current * 1.01), ZOOM_STEPS[-1])
    return next((step for step in reversed(ZOOM_STEPS) if step < current * 0.99), ZOOM_STEPS[0])


class PdfZoom(QObject):
    """Zoom of a QPdfView: actions, shortcuts, Ctrl+wheel, a percentage label; starts at fit width.

    QPdfView keeps zoomFactor at its last custom value while a fit mode is on, so the factor a fit
    mode shows is computed here the way QPdfView lays pages out.
    """

    def __init__(self, view: QPdfView, parent: QWidget) -> None:
        super().__init__(parent)
        self.view = view
        self._wheel = 0
        self.zoom_in = self._action(self.tr("Phóng to"), ("Ctrl++", "Ctrl+="), lambda: self.step(1))
        self.zoom_in.setIconText("+")
        self.zoom_out = self._action(self.tr("Thu nhỏ"), ("Ctrl+-",), lambda: self.step(-1))
        self.zoom_out.setIconText("−")
        self.fit_width = self._action(
            self.tr("Vừa chiều rộng"), ("Ctrl+0",), lambda: self.set_mode(QPdfView.ZoomMode.FitToWidth)
        )
        self.fit_page = self._action(
            self.tr("Cả trang"), (), lambda: self.set_mode(QPdfView.ZoomMode.FitInView)
        )
        for fit in (self.fit_width, self.fit_page):
            fit.setCheckable(True)  # shows which fit mode is on
        self.label = QLabel(parent)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("0000%") + 8)
        self.label.setToolTip(self.tr("Tỷ lệ thu phóng"))
        self.label.setAccessibleName(self.tr("Tỷ lệ thu phóng"))
        for action in (self.zoom_in, self.zoom_out, self.fit_width, self.fit_page):
            parent.addAction(action)
        view.viewport().installEventFilter(self)
        view.zoomFactorChanged.connect(self.sync)
        view.zoomModeChanged.connect(self.sync)
        self.start()

    def _action(self, text: str, keys: tuple[str, ...], slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        hint = QKeySequence(keys[0]).toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
        action.setToolTip(f"{text} ({hint})" if hint else text)
        action.triggered.connect(slot)
        return action

    def buttons(self, parent: QWidget) -> QHBoxLayout:
        """The zoom row: − 100% + | Vừa chiều rộng | Cả trang."""
        row = QHBoxLayout()
        for item in (self.zoom_out, self.label, self.zoom_in, None, self.fit_width, self.fit_page):
            if item is None:
                row.addSpacing(12)
            elif isinstance(item, QAction):
                button = QToolButton(parent)
                button.setDefaultAction(item)
                row.addWidget(button)
            else:
                row.addWidget(item)
        row.addStretch(1)
        return row

    # -- the factor -----------------------------------------------------------------------------
    def factor(self) -> float:
        """The zoom factor the pages are shown at, fit modes included."""
        mode = self.view.zoomMode()
        document = self.view.document()
        if mode == QPdfView.ZoomMode.Custom or document is None or document.pageCount() == 0:
            return self.view.zoomFactor()
        scale = QGuiApplication.primaryScreen().logicalDotsPerInch() / 72  # as QPdfView
        page = document.pagePointSize(0) * scale
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        by_width = (viewport.width() - margins.left() - margins.right()) / max(page.width(), 1)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return by_width
        return min(by_width, (viewport.height() - self.view.pageSpacing()) / max(page.height(), 1))

    def step(self, direction: int) -> None:
        """One preset step in or out, from whatever the view shows now."""
        self.set_factor(next_zoom(self.factor(), direction))

    def set_factor(self, factor: float) -> None:
        factor = min(max(factor, ZOOM_STEPS[0]), ZOOM_STEPS[-1])

        def change() -> None:
            self.view.setZoomFactor(factor)
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)

        self._keeping_place(change)

    def set_mode(self, mode: QPdfView.ZoomMode) -> None:
        self._keeping_place(lambda: self.view.setZoomMode(mode))

    def _keeping_place(self, change: Callable[[], None]) -> None:
        """Apply a zoom change with the same part of the document in the middle of the view."""
        bars = (self.view.horizontalScrollBar(), self.view.verticalScrollBar())
        places = [(bar.value() + bar.pageStep() / 2) / max(bar.maximum() + bar.pageStep(), 1) for bar in bars]
        change()
        for bar, place in zip(bars, places, strict=True):
            bar.setValue(round(place * (bar.maximum() + bar.pageStep()) - bar.pageStep() / 2))
        self.sync()

    def sync(self) -> None:
        """Label, checked fit mode and enabled steps follow the view."""
        factor = self.factor()
        self.label.setText(self.tr("{n}%").format(n=round(factor * 100)))
        mode = self.view.zoomMode()
        self.fit_width.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_in.setEnabled(factor < ZOOM_STEPS[-1] * 0.99)
        self.zoom_out.setEnabled(factor > ZOOM_STEPS[0] * 1.01)

    # -- events and settings --------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.sync()  # a fit mode's factor follows the view's size
        elif event.type() == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self._wheel_zoom(event.angleDelta().y())
                return True
        return super().eventFilter(watched, event)

    def _wheel_zoom(self, delta: int) -> None:
        """One step per wheel notch; touchpads send smaller deltas, added up."""
        self._wheel += delta
        while abs(self._wheel) >= WHEEL_NOTCH:
            direction = 1 if self._wheel > 0 else -1
            self._wheel -= direction * WHEEL_NOTCH
            self.step(direction)

    def start(self) -> None:
        """Fit to width, as every preview starts."""
        self.view.setZoomFactor(1.0)
        self.view.setZoomMode(START_MODE)
        self.sync()
