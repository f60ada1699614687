"""Conflicts and exchange in the GUI: the lead's conflict dialog, the merge dialog, sending a package.

Thin widgets over ictappraise.services.merge. The merge runs on the GUI thread under a modal
progress bar: the Workspace cache and its SQLite sessions belong to this thread, and a
merge of a whole round takes about a second, so a worker would add risk without benefit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.fields import crit_field, parse_field
from ictappraise.services import merge
from ictappraise.services.conflicts import Conflict, Head, HeldEdit, time_text
from ictappraise.services.resolution_values import parse_typed
from ictappraise.services.workspace import Workspace
from ictappraise.settings import ROLE_LEAD
from ictappraise.ui.dialogs.common import ListTableModel, ask_save_file

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
        except ValueError as error:  # ServiceError and the store's messages are Vietnamese
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
        except ValueError as error:  # ServiceError: Vietnamese
            return self.show_error(str(error))
        self.reason_edit.clear()
        self.resolved.emit(item.edit.field)
        self.reload()
        return True

    def show_error(self, text: str) -> bool:
        QMessageBox.warning(self, self.tr("Không giải quyết được xung đột"), text)
        return False


class MergeDialog(QDialog):
    """File → Tổng hợp dữ liệu: choose packages, read the check, merge, read the summary."""

    merged = Signal()  # the window reloads every screen
    conflicts_requested = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None, paths: Sequence[Path] = ()) -> None:
        super().__init__(parent)
        self.ws = ws
        self.plan: merge.MergePlan | None = None
        self.summary: merge.MergeSummary | None = None
        self.setWindowTitle(self.tr("Tổng hợp dữ liệu"))
        self.resize(760, 520)
        self.files = QStringListModel(self)
        self.file_view = QListView(self)
        self.file_view.setModel(self.files)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        self.progress = QProgressBar(self)
        self.choose_button = QPushButton(self.tr("&Chọn gói dữ liệu…"), self)
        self.merge_button = QPushButton(self.tr("&Tổng hợp"), self)
        self.conflicts_button = QPushButton(self.tr("Giải quyết &xung đột…"), self)
        # What the lead must see before accepting (docs/rules.md §9): authority changes, then what is held.
        self.authority_label = QLabel(self)
        self.authority_model = QStringListModel(self)
        self.authority_view = QListView(self)
        self.held_label = QLabel(self)
        self.held_model = QStringListModel(self)
        self.held_view = QListView(self)
        self.reviewed = QCheckBox(
            self.tr("Tôi đã xem các thay đổi và sửa đổi bị giữ lại ở trên, đồng ý tổng hợp"), self
        )
        self._build()
        if paths:
            self.set_packages(paths)

    def _build(self) -> None:
        self.merge_button.setEnabled(False)
        self.conflicts_button.setEnabled(False)
        self.choose_button.clicked.connect(self.choose)
        self.merge_button.clicked.connect(self.apply)
        self.conflicts_button.clicked.connect(self.conflicts_requested.emit)
        self.reviewed.toggled.connect(self._update_merge_button)
        for view, model in ((self.authority_view, self.authority_model), (self.held_view, self.held_model)):
            view.setModel(model)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setWordWrap(True)
        closing = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        closing.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Gói dữ liệu (.ictx) nhận từ các thành viên:"), self))
        layout.addWidget(self.file_view, 1)
        layout.addWidget(self.report, 2)
        layout.addWidget(self.authority_label)
        layout.addWidget(self.authority_view, 2)
        layout.addWidget(self.held_label)
        layout.addWidget(self.held_view, 2)
        layout.addWidget(self.reviewed)
        layout.addWidget(self.progress)
        self._show_review()
        row = QHBoxLayout()
        for button in (self.choose_button, self.merge_button, self.conflicts_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(closing)
        layout.addLayout(row)

    def choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Chọn gói dữ liệu"), "", self.tr("Gói dữ liệu ictappraise (*.ictx);;Mọi tệp (*)")
        )
        if paths:
            self.set_packages([Path(p) for p in paths])

    def set_packages(self, paths: Sequence[Path]) -> None:
        """Check the packages and show what merging them would do (nothing is written)."""
        self.files.setStringList([str(p) for p in paths])
        self.plan, self.summary = None, None
        self.merge_button.setEnabled(False)
        self._show_review()
        try:
            self.plan = merge.plan_merge(self.ws, list(paths), self._progress)
        except ValueError as error:
            self.report.setPlainText(str(error))
            self.show_error(str(error))
            return
        self.report.setPlainText("\n".join(merge.describe_plan(self.plan)))
        self._progress_done(self.tr("Đã kiểm tra {n} gói.").format(n=len(paths)))
        self._show_review()

    @property
    def needs_review(self) -> bool:
        """Whether the plan changes authority or holds something: the lead ticks the box first."""
        return self.plan is not None and bool(self.plan.authority_changes or self.plan.to_hold)

    def _show_review(self) -> None:
        plan = self.plan
        changes = list(plan.authority_changes) if plan else []
        held = [f"{h.title} ({h.author_name}) — {h.reason}" for h in plan.to_hold] if plan else []
        self.authority_model.setStringList(changes)
        self.held_model.setStringList(held)
        self.authority_label.setText(
            self.tr("Thay đổi trạng thái, Tổ thẩm định và thiết lập đợt (%1):").replace(
                "%1", str(len(changes))
            )
            if changes
            else self.tr("Không có thay đổi trạng thái, Tổ thẩm định hay thiết lập đợt.")
        )
        self.held_label.setText(
            self.tr("Sẽ bị giữ lại, không áp dụng (%1):").replace("%1", str(len(held)))
            if held
            else self.tr("Không có sửa đổi nào bị giữ lại.")
        )
        self.authority_view.setVisible(bool(changes))
        self.held_view.setVisible(bool(held))
        self.reviewed.setChecked(False)
        self.reviewed.setVisible(self.needs_review)
        self._update_merge_button()

    def _update_merge_button(self) -> None:
        self.merge_button.setEnabled(
            self.plan is not None and (not self.needs_review or self.reviewed.isChecked())
        )

    def apply(self) -> bool:
        """Merge the checked packages (after the lead's review, and confirming a stranger sender)."""
        if self.plan is None:
            return False
        if self.needs_review and not self.reviewed.isChecked():
            return False
        if self.plan.unknown_senders and not self.confirm("\n\n".join(self.plan.warnings)):
            return False
        try:
            self.summary = merge.apply_merge(self.ws, self.plan, self._progress)
        except ValueError as error:
            return self.show_error(str(error))
        self.plan = None
        self._progress_done(self.tr("Đã tổng hợp xong."))
        self._show_review()
        self.merge_button.setEnabled(False)
        self.report.setPlainText("\n".join(merge.describe_summary(self.summary)))
        self.conflicts_button.setEnabled(bool(merge.list_conflicts(self.ws)))
        self.merged.emit()
        return True

    def _progress_done(self, text: str) -> None:
        """A full bar that says the work is over (the services report only the step begun)."""
        self.progress.setMaximum(1)
        self.progress.setValue(1)
        self.progress.setFormat(text)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(text)
        QApplication.processEvents()

    def confirm(self, text: str) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Người gửi không thuộc Tổ thẩm định"), text + "\n\n" + self.tr("Vẫn tổng hợp?")
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, text: str) -> bool:
        QMessageBox.warning(self, self.tr("Không tổng hợp được"), text)
        return False


def send_package(parent: QWidget, ws: Workspace, path: Path | None = None) -> merge.ExportResult | None:
    """File → Gửi dữ liệu cho Tổ trưởng: write a full package and say where it is."""
    if path is None:
        who = (ws.actor.name if ws.actor else "").replace(" ", "_") or "du_lieu"
        chosen = ask_save_file(
            parent,
            parent.tr("Gửi dữ liệu cho Tổ trưởng"),
            f"{who}_{date.today():%Y%m%d}.ictx",
            parent.tr("Gói dữ liệu (*.ictx)"),
        )
        if chosen is None:
            return None
        path = chosen
    try:
        result = merge.export_package(ws, path)
    except ValueError as error:
        QMessageBox.warning(parent, parent.tr("Không tạo được gói dữ liệu"), str(error))
        return None
    QMessageBox.information(
        parent,
        parent.tr("Đã tạo gói dữ liệu"),
        (
            parent.tr("Đã lưu %1 sửa đổi và %2 tệp minh chứng vào:\n%3\nHãy gửi tệp này cho các thành viên.")
            if ws.actor is not None and ws.actor.role == ROLE_LEAD  # the lead sends to the team
            else parent.tr("Đã lưu %1 sửa đổi và %2 tệp minh chứng vào:\n%3\nHãy chép tệp này cho Tổ trưởng.")
        )
        .replace("%1", str(result.edits))
        .replace("%2", str(result.attachments))
        .replace("%3", str(result.path)),
    )
    return result
