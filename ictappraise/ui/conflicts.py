"""The lead's conflict dialog: settle each conflicting field, accept held edits.

Thin widgets over ictappraise.services.merge; merging packages is in ui/merge_dialog.py.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.fields import crit_field, parse_field
from ictappraise.services import merge
from ictappraise.services.conflicts import Conflict, Head, HeldEdit, time_text
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.resolution_values import parse_typed
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import ListTableModel

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


class ConflictTableModel(ListTableModel[Conflict]):
    """Open conflicts: one row per conflicting field."""

    COL_AGENCY, COL_CODE, COL_WHAT, COL_HEADS = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.names: dict[tuple[str | None, str | None], str] = {}  # criterion names, "I.1. Ban hành…"

    def headers(self) -> list[str]:
        return [self.tr("Đơn vị"), self.tr("Tiêu chí"), self.tr("Nội dung"), self.tr("Phiên bản")]

    @property
    def conflicts(self) -> list[Conflict]:
        """The conflicts shown, in the model's order."""
        return self._rows

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, TOOLTIP):
            return None
        conflict = self._rows[index.row()]
        if role == TOOLTIP:
            return conflict.field
        column = index.column()
        if column == self.COL_AGENCY:
            return conflict.agency_name
        if column == self.COL_CODE:
            name = self.names.get((conflict.agency_id, conflict.code))
            return f"{conflict.code}. {name}" if name else conflict.code or ""
        if column == self.COL_WHAT:
            return conflict.what
        return len(conflict.heads)


class HeadTableModel(ListTableModel[Head]):
    """The competing versions of one field: value, author, time."""

    COL_VALUE, COL_AUTHOR, COL_TIME, COL_REASON = range(4)

    def headers(self) -> list[str]:
        return [self.tr("Giá trị"), self.tr("Người nhập"), self.tr("Thời điểm"), self.tr("Lý do")]

    @property
    def heads(self) -> list[Head]:
        """The versions shown, in the model's order."""
        return self._rows

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, TOOLTIP):
            return None
        head = self._rows[index.row()]
        if role == TOOLTIP:
            return f"{head.edit.id} — {head.edit.device}"
        return (head.text, head.author_name, time_text(head.edit.created_at), head.edit.reason or "")[
            index.column()
        ]


class HeldTableModel(ListTableModel[HeldEdit]):
    """Held edits (kept, not applied): what, value, author, why."""

    def headers(self) -> list[str]:
        return [
            self.tr("Đơn vị"),
            self.tr("Nội dung"),
            self.tr("Giá trị"),
            self.tr("Người nhập"),
            self.tr("Lý do giữ lại"),
        ]

    @property
    def held(self) -> list[HeldEdit]:
        return self._rows

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or role not in (DISPLAY, TOOLTIP):
            return None
        item = self._rows[index.row()]
        if role == TOOLTIP:
            return f"{item.edit.id} — {item.edit.field}"
        return (item.agency_name, item.what, item.text, item.author_name, item.reason)[index.column()]


def _table(model: QAbstractTableModel, parent: QWidget) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view, proxy


def _columns(view: QTableView, *, stretch: int) -> None:
    """One column takes the spare width; the others fit their content."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)


class ConflictDialog(QDialog):
    """The lead settles conflicts: pick one version or type a new value, always with a reason."""

    resolved = Signal(str)  # the field settled; the window announces it to every screen

    def __init__(self, ws: Workspace, agency_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.agency_id = agency_id
        self.setWindowTitle(self.tr("Giải quyết xung đột dữ liệu"))
        self.resize(900, 600)
        self.conflict_model = ConflictTableModel(self)
        self.head_model = HeadTableModel(self)
        self.conflict_view, self.conflict_proxy = _table(self.conflict_model, self)
        self.head_view, self.head_proxy = _table(self.head_model, self)
        # Room by need: the criterion and the reason stretch, short columns fit their text.
        _columns(self.conflict_view, stretch=ConflictTableModel.COL_CODE)
        _columns(self.head_view, stretch=HeadTableModel.COL_REASON)
        self.notes_label = QLabel(self)  # the members' notes on the criterion in conflict
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextFormat(Qt.TextFormat.PlainText)
        self.pick_radio = QRadioButton(self.tr("Giữ phiên bản đã chọn ở bảng trên"), self)
        self.new_radio = QRadioButton(self.tr("Nhập giá trị mới:"), self)
        self.value_edit = QLineEdit(self)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("Lý do giải quyết (bắt buộc, được lưu trong nhật ký)"))
        self.reason_edit.setMaximumHeight(80)
        self.status_label = QLabel(self)
        self.resolve_button = QPushButton(self.tr("&Giải quyết"), self)
        # Held edits (docs/rules.md §9): the lead may accept one, with the same reason box.
        self.held_model = HeldTableModel(self)
        self.held_view, self.held_proxy = _table(self.held_model, self)
        self.accept_button = QPushButton(self.tr("&Chấp nhận sửa đổi bị giữ lại"), self)
        self._build()
        self.reload()

    def _build(self) -> None:
        # Typing a value chooses "new value"; clicking a version chooses "keep it".
        self.pick_radio.setChecked(True)
        self.value_edit.textEdited.connect(lambda _text: self.new_radio.setChecked(True))
        self.head_view.clicked.connect(lambda _index: self.pick_radio.setChecked(True))
        self.conflict_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_heads())
        self.resolve_button.clicked.connect(self.resolve)
        self.accept_button.clicked.connect(self.accept_held)
        closing = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        closing.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("Các trường có nhiều phiên bản khác nhau (chưa dùng để xếp loại):"), self)
        )
        layout.addWidget(self.conflict_view, 2)
        layout.addWidget(QLabel(self.tr("Các phiên bản của trường đã chọn:"), self))
        layout.addWidget(self.head_view, 1)
        layout.addWidget(self.notes_label)
        row = QHBoxLayout()
        row.addWidget(self.new_radio)
        row.addWidget(self.value_edit, 1)
        layout.addWidget(self.pick_radio)
        layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("Sửa đổi bị giữ lại (được lưu, không áp dụng):"), self))
        layout.addWidget(self.held_view, 1)
        layout.addWidget(QLabel(self.tr("Lý do:"), self))
        layout.addWidget(self.reason_edit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.accept_button)
        bottom.addWidget(self.resolve_button)
        bottom.addWidget(closing)
        layout.addLayout(bottom)

    def reload(self) -> None:
        """Re-read the open conflicts and select the first."""
        conflicts = merge.list_conflicts(self.ws, self.agency_id)
        self.conflict_model.names = self._criterion_names(conflicts)
        self.conflict_model.set_rows(conflicts)
        count = self.conflict_model.rowCount()
        self.status_label.setText(
            self.tr("Còn %n xung đột.", "", count) if count else self.tr("Không còn xung đột nào.")
        )
        self.resolve_button.setEnabled(count > 0)
        if count:
            self.conflict_view.selectRow(0)
        self._show_heads()
        self.held_model.set_rows(merge.list_held(self.ws, self.agency_id))
        self.accept_button.setEnabled(self.held_model.rowCount() > 0)

    def _criterion_names(self, conflicts: list[Conflict]) -> dict[tuple[str | None, str | None], str]:
        names: dict[tuple[str | None, str | None], str] = {}
        for conflict in conflicts:
            if conflict.agency_id and conflict.code and (conflict.agency_id, conflict.code) not in names:
                criterion = self.ws.detail(conflict.agency_id).catalog.find(conflict.code)
                if criterion is not None:
                    names[(conflict.agency_id, conflict.code)] = criterion.name
        return names

    def _notes_text(self, conflict: Conflict | None) -> str:
        """Each member's note on the criterion, so the lead reads why they scored as they did."""
        if conflict is None or not conflict.agency_id or not conflict.code:
            return ""
        note_name = crit_field(conflict.agency_id, conflict.code, "note")
        state = self.ws.state(conflict.agency_id).fields.get(note_name)
        heads = [h for h in (state.heads if state else ()) if str(h.value or "").strip()]
        if not heads:
            return self.tr("Ghi chú của thành viên: (không có)")
        lines = [f"{self.ws.member_name(h.author)}: {str(h.value).strip()}" for h in heads]
        return self.tr("Ghi chú của thành viên:") + "\n" + "\n".join(lines)

    def current_conflict(self) -> Conflict | None:
        index = self.conflict_view.currentIndex()
        if not index.isValid():
            return None
        return self.conflict_model.conflicts[self.conflict_proxy.mapToSource(index).row()]

    def current_head(self) -> Head | None:
        rows = self.head_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.head_model.heads[self.head_proxy.mapToSource(rows[0]).row()]

    def _show_heads(self) -> None:
        conflict = self.current_conflict()
        self.head_model.set_rows(conflict.heads if conflict else ())
        self.notes_label.setText(self._notes_text(conflict))
        self.head_view.clearSelection()
        appraised = conflict is not None and parse_field(conflict.field).part == "appraised"
        hint = self.tr("Điểm, ví dụ 12,5") if appraised else ""
        self.value_edit.setPlaceholderText(hint)
        self.value_edit.clear()
        self.pick_radio.setChecked(True)

    def select_head(self, row: int) -> None:
        """Select the version in a row of the versions table (keyboard users and tests)."""
        self.head_view.selectRow(row)
        self.pick_radio.setChecked(True)

    def resolve(self) -> bool:
        """Settle the selected conflict; False (with an error dialog) when refused."""
        conflict = self.current_conflict()
        if conflict is None:
            return self.show_error(self.tr("Hãy chọn một xung đột trong danh sách."))
        reason = self.reason_edit.toPlainText().strip()
        try:
            if self.pick_radio.isChecked():
                head = self.current_head()
                if head is None:
                    return self.show_error(self.tr("Hãy chọn phiên bản muốn giữ, hoặc nhập giá trị mới."))
                merge.resolve_pick(self.ws, conflict.field, head.id, reason)
            else:
                value = parse_typed(self.ws, conflict.field, self.value_edit.text())
                merge.resolve_conflict(self.ws, conflict.field, value, reason)
        except USER_ERRORS as error:  # Vietnamese messages; nothing was written
            return self.show_error(str(error))
        self.reason_edit.clear()
        self.resolved.emit(conflict.field)
        self.reload()
        return True

    def accept_held(self) -> bool:
        """The lead accepts the selected held edit, with the reason typed below."""
        rows = self.held_view.selectionModel().selectedRows()
        if not rows:
            return self.show_error(self.tr("Hãy chọn một sửa đổi bị giữ lại trong danh sách."))
        item = self.held_model.held[self.held_proxy.mapToSource(rows[0]).row()]
        try:
            merge.accept_held(self.ws, item.edit.id, self.reason_edit.toPlainText())
        except USER_ERRORS as error:
            return self.show_error(str(error))
        self.reason_edit.clear()
        self.resolved.emit(item.edit.field)
        self.reload()
        return True

    def show_error(self, text: str) -> bool:
        QMessageBox.warning(self, self.tr("Không giải quyết được xung đột"), text)
        return False
