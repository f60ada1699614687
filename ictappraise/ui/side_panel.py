"""The right-hand column of the main window: the preview above, the penalty facts at the bottom,
in a scroll area that only scrolls when a very small screen leaves no other way."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget


class SideScrollArea(QScrollArea):
    """Scrolls vertically only; its content is held to the visible width, so wrapped text wraps
    instead of pushing numbers off the right edge."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Give the content the height its wrapped text needs at this width (QScrollArea asks
        only for the size hint, which ignores word wrap)."""
        content = self.widget()
        layout = content.layout() if content is not None else None
        if content is None or layout is None:
            return
        width = self.viewport().width()
        content.setMaximumWidth(width)
        needed = layout.heightForWidth(width)
        if needed > 0:
            content.setMinimumHeight(needed)


def side_column(preview: QWidget, facts: QWidget) -> SideScrollArea:
    """The preview and the facts in one scroll area."""
    side = QWidget()
    layout = QVBoxLayout(side)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(preview)
    # The facts sit at the bottom, so a band or a reason that wraps above does not move the
    # month boxes the clerk is typing in.
    layout.addStretch(1)
    layout.addWidget(facts)
    scroll = SideScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(side)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
