"""Small widgets of the main window: the hint line under the checklist, the side panel's scroll.

PySide6 only, like the frame: main_window imports them when the panels are built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea

if TYPE_CHECKING:
    from ictappraise.domain.catalog import Criterion

HINT_STYLE = "color: #333; background: #f4f6f8; padding: 4px;"
QUESTION_STYLE = "color: #5d4000; background: #fff4d6; padding: 4px;"
REFUSAL_STYLE = "color: #a00000; background: #ffecec; padding: 4px; font-weight: bold;"


def _tr(text: str) -> str:
    # The main window's context: these strings were its own, and their translations stay valid.
    return QCoreApplication.translate("MainWindow", text)


class HintLine(QLabel):
    """The line under the checklist, always there so rows never jump: the selected criterion's
    rule and evidence, what the text typed so far gives, a refused value or a question."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet(HINT_STYLE)

    def show_hint(self, text: str, style: str = HINT_STYLE) -> None:
        """Any text, in the plain (default), question or refusal style."""
        self.setText(text)
        self.setStyleSheet(style)

    def note(self, text: str) -> None:
        """Something to notice now (e.g. the self-assessment mode), in the question style."""
        self.show_hint(text, QUESTION_STYLE)

    def calm(self) -> None:
        """Back to the plain style, the text kept: a saved value ends a refusal's red."""
        self.setStyleSheet(HINT_STYLE)

    def refusal(self, code: str, message: str) -> None:
        """A value the checklist did not take, and why."""
        if code not in message:
            message = _tr("Tiêu chí {c}: {m}").format(c=code, m=message)
        self.show_hint(_tr("Không nhận giá trị — {m}").format(m=message), REFUSAL_STYLE)

    def question(self, code: str, message: str) -> None:
        """A typed value that may not be meant: asked once, the editor kept."""
        text = _tr(
            "<b>Tiêu chí {c} — kiểm tra lại:</b> {m}<br>Enter lần nữa: ghi đúng như đã gõ; Esc: bỏ."
        ).format(c=code, m=message)
        self.show_hint(text, QUESTION_STYLE)

    def typing(self, criterion: Criterion, result: str, doubt: str) -> None:
        """The rule and what the text typed so far gives."""
        typed = _tr("<b>Đang nhập:</b> {r}").format(r=result) if result else ""
        if doubt:
            typed += _tr(" — <b>lưu ý:</b> {d}").format(d=doubt)
        text = _tr("<b>{c}.</b> Cách tính điểm: {m}<br>{t}").format(
            c=criterion.code, m=criterion.method_text, t=typed
        )
        self.show_hint(text, QUESTION_STYLE if doubt else HINT_STYLE)

    def criterion(self, criterion: Criterion | None) -> None:
        """The selected criterion: its name, how it is scored, the evidence to check."""
        if criterion is None:
            self.show_hint("")
            return
        evidence = criterion.evidence or _tr("(không ghi)")
        text = _tr("<b>{c}. {n}</b><br>Cách tính điểm: {m}<br><b>Tài liệu kiểm chứng:</b> {e}").format(
            c=criterion.code, n=criterion.name, m=criterion.method_text, e=evidence
        )
        self.show_hint(text)


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
