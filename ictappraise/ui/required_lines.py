"""The required "Hạn chế" lines of the minutes, each with where it stands, and the one way to
leave one out: with a reason (docs/rules.md §6), recorded as a signed edit the history keeps.

Shown in the minutes dialog above the preview. Every applied penalty and every criterion scored 0
is a required line: stated in the secretary's text, printed automatically after it, or dropped
with a reason. Only the lead or the secretary may drop or restore a line, and not once signed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services import remarks
from ictappraise.services.remarks import LineState
from ictappraise.services.visit_details import drop_required_line, keep_required_line, may_drop_required_lines
from ictappraise.services.workspace import ServiceError, Workspace
from ictappraise.ui.dialogs.common import Column, RecordTableModel, SortProxy, record_view, selected_record

VISIBLE_ROWS = 3  # the table's height in rows at most; more scroll, the preview keeps the room
REASON_WIDTH = 320  # px: the reason column, so a long sentence does not squeeze it away


def tr(text: str) -> str:
    return QCoreApplication.translate("RequiredLines", text)


def state_text(state: LineState) -> str:
    """Where a required line stands, in words."""
    return {
        remarks.LINE_WRITTEN: tr("Có trong phần Hạn chế đã viết"),
        remarks.LINE_PRINTED: tr("In tự động sau phần đã viết"),
        remarks.LINE_DROPPED: tr("Đã bỏ, có lý do"),
    }[state.state]


def _reason(state: LineState) -> str:
    return state.reason if state.state == remarks.LINE_DROPPED else ""


class RequiredLinesModel(RecordTableModel[LineState]):
    """The required lines: the sentence, where it stands, why it was dropped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        columns: list[Column[LineState]] = [
            Column(tr("Ý bắt buộc"), lambda s: s.line.sentence, tooltip=lambda s: s.line.sentence),
            Column(tr("Trong biên bản"), state_text),
            Column(tr("Lý do bỏ"), _reason, tooltip=_reason),
        ]
        super().__init__(columns, parent)

    def row_background(self, row: LineState) -> QColor | None:
        # A dropped line is the one a reader of the minutes will not see: make it stand out.
        return QColor("#fff4d6") if row.state == remarks.LINE_DROPPED else None


class RequiredLinesBox(QGroupBox):
    """The list of required lines with "Bỏ ý này…" (asks a reason) and "In lại ý này"."""

    changed = Signal()  # a line was dropped or restored: the minutes must be laid out again

    def __init__(self, ws: Workspace, agency_id: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Các ý bắt buộc trong phần Hạn chế"), parent)
        self.ws = ws
        self.agency_id = agency_id
        self.model = RequiredLinesModel(self)
        self.proxy = SortProxy(self.model, self)
        self.view = record_view(self.proxy, 0)
        self.view.setSortingEnabled(False)  # the order of docs/rules.md §4: criteria, then penalties
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(2, REASON_WIDTH)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.drop_button = QPushButton(tr("Bỏ ý này…"), self)
        self.keep_button = QPushButton(tr("In lại ý này"), self)
        self.drop_button.clicked.connect(lambda: self.drop_selected())
        self.keep_button.clicked.connect(lambda: self.keep_selected())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.drop_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.reload()

    # -- intents (tests replace these) ----------------------------------------------------------
    def ask_drop_reason(self, sentence: str) -> str | None:
        """Why the line is left out (None: cancelled)."""
        text, accepted = QInputDialog.getMultiLineText(
            self,
            tr("Bỏ ý Hạn chế bắt buộc"),
            tr("Bỏ ý sau khỏi biên bản:\n«{s}»\n\nLý do (bắt buộc; lưu trong lịch sử thay đổi):").format(
                s=sentence
            ),
        )
        return text if accepted else None

    def show_error(self, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, tr("Không thực hiện được"), text)

    # -- state ----------------------------------------------------------------------------------
    def reload(self) -> None:
        """The lines as the data stands now (after an edit, a signing, a reopening)."""
        chosen = self.selected()
        states = remarks.line_states(self.ws.detail(self.agency_id))
        self.model.set_rows(states)
        self.setVisible(bool(states))
        row = self.view.verticalHeader().defaultSectionSize()
        shown = min(max(len(states), 1), VISIBLE_ROWS)
        self.view.setFixedHeight(self.view.horizontalHeader().sizeHint().height() + row * shown + 4)
        if chosen is not None:
            for row, state in enumerate(states):
                if state.line.key == chosen.line.key:
                    self.view.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        elif states:
            self.view.selectRow(0)
        self._enable()

    def selected(self) -> LineState | None:
        return selected_record(self.view, self.proxy, self.model)

    def _why_not(self) -> str:
        """Why this person may not drop or restore a line now; "" when they may."""
        detail = self.ws.detail(self.agency_id)
        if detail.signed:
            return tr("Biên bản đã ký: các ý bắt buộc đã khóa cùng phần nhận xét.")
        if not may_drop_required_lines(self.ws):
            return tr("Chỉ Tổ trưởng hoặc Thư ký được bỏ một ý Hạn chế bắt buộc (phải ghi lý do).")
        return ""

    def _enable(self) -> None:
        why = self._why_not()
        state = self.selected()
        self.drop_button.setEnabled(not why and state is not None and state.state == remarks.LINE_PRINTED)
        self.keep_button.setEnabled(not why and state is not None and state.state == remarks.LINE_DROPPED)
        tip = why or tr("Bỏ ý đang chọn khỏi biên bản; phải ghi lý do, lý do được lưu trong lịch sử.")
        self.drop_button.setToolTip(tip)
        self.keep_button.setToolTip(why or tr("In lại ý đang chọn trong phần Hạn chế của biên bản."))
        self.note.setText(why or self._state_note(state) or self._summary())

    def _state_note(self, state: LineState | None) -> str:
        """What the selected line needs, when neither button applies to it."""
        if state is not None and state.state == remarks.LINE_WRITTEN:
            return tr(
                "Ý đang chọn đã có trong phần Hạn chế Thư ký viết nên không cần in thêm. Muốn bỏ ý này, "
                "hãy xóa câu đó trong phần Hạn chế (thẻ «Buổi thẩm định») rồi bỏ ý tại đây, kèm lý do."
            )
        return ""

    def _summary(self) -> str:
        rows = self.model.rows()
        dropped = sum(1 for s in rows if s.state == remarks.LINE_DROPPED)
        text = tr("Mỗi điểm liệt đã áp dụng và mỗi tiêu chí 0 điểm phải được nêu; chỉ bỏ được khi có lý do.")
        if dropped:
            text += " " + tr("Đã bỏ {n} ý.").format(n=dropped)
        return text

    # -- actions --------------------------------------------------------------------------------
    def drop_selected(self) -> bool:
        """Ask a reason, then leave the selected line out of the minutes."""
        state = self.selected()
        if state is None or state.state != remarks.LINE_PRINTED:
            return False
        reason = self.ask_drop_reason(state.line.sentence)
        if reason is None:
            return False
        return self._run(lambda: drop_required_line(self.ws, self.agency_id, state.line.key, reason))

    def keep_selected(self) -> bool:
        """Print the selected dropped line again."""
        state = self.selected()
        if state is None or state.state != remarks.LINE_DROPPED:
            return False
        return self._run(lambda: keep_required_line(self.ws, self.agency_id, state.line.key))

    def _run(self, action: Callable[[], None]) -> bool:
        try:
            action()
        except ServiceError as error:
            self.show_error(str(error))
            return False
        self.reload()
        self.changed.emit()
        return True
