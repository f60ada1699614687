"""The line under the checklist: the selected criterion's rule and evidence, what the text being
typed gives, why a value was refused or is asked about. It is always there, so the rows above
never jump when it changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from ictappraise.domain.catalog import Criterion

HINT_STYLE = "color: #333; background: #f4f6f8; padding: 4px;"
QUESTION_STYLE = "color: #5d4000; background: #fff4d6; padding: 4px;"
REFUSAL_STYLE = "color: #a00000; background: #ffecec; padding: 4px; font-weight: bold;"


class HintLine(QLabel):
    """A wrapped label that says one thing at a time, in the style of what it says."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet(HINT_STYLE)

    def say(self, text: str, style: str = HINT_STYLE) -> None:
        self.setText(text)
        self.restyle(style)

    def restyle(self, style: str = HINT_STYLE) -> None:
        """The style only when it changes: setting one re-polishes the label."""
        if self.styleSheet() != style:
            self.setStyleSheet(style)

    def notice(self, text: str) -> None:
        """Something to read before typing on (a mode, a question)."""
        self.say(text, QUESTION_STYLE)

    def refusal(self, code: str, message: str) -> None:
        """A value that was not recorded, and why."""
        if code not in message:
            message = self.tr("Tiêu chí {c}: {m}").format(c=code, m=message)
        self.say(self.tr("Không nhận giá trị — {m}").format(m=message), REFUSAL_STYLE)

    def question(self, code: str, message: str) -> None:
        """A typed value that may not be meant: asked once, the editor kept."""
        self.say(
            self.tr(
                "<b>Tiêu chí {c} — kiểm tra lại:</b> {m}<br>Enter lần nữa: ghi đúng như đã gõ; Esc: bỏ."
            ).format(c=code, m=message),
            QUESTION_STYLE,
        )

    def typing(self, criterion: Criterion, result: str, doubt: str) -> None:
        """The rule and what the text typed so far gives."""
        typed = self.tr("<b>Đang nhập:</b> {r}").format(r=result) if result else ""
        if doubt:
            typed += self.tr(" — <b>lưu ý:</b> {d}").format(d=doubt)
        self.say(
            self.tr("<b>{c}.</b> Cách tính điểm: {m}<br>{t}").format(
                c=criterion.code, m=criterion.method_text, t=typed
            ),
            QUESTION_STYLE if doubt else HINT_STYLE,
        )

    def criterion(self, criterion: Criterion | None) -> None:
        """What the selected criterion asks and which documents prove it (nothing selected: empty)."""
        if criterion is None:
            self.say("")
            return
        evidence = criterion.evidence or self.tr("(không ghi)")
        self.say(
            self.tr("<b>{c}. {n}</b><br>Cách tính điểm: {m}<br><b>Tài liệu kiểm chứng:</b> {e}").format(
                c=criterion.code, n=criterion.name, m=criterion.method_text, e=evidence
            )
        )
