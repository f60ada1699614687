"""Round settings tab «Tổ thẩm định»: team members, roles and signature images."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.roles import ROLE_MEMBER
from ictappraise.services import round_admin, trust
from ictappraise.services.model import Member
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import (
    ROLES,
    AnyIndex,
    Column,
    RecordTableModel,
    SortProxy,
    call_service,
    form_dialog_layout,
    left_row,
    push_button,
    record_view,
    role_label,
    select_record,
    selected_record,
    show_error,
)

THUMBNAIL = QSize(120, 36)


class TeamTableModel(RecordTableModel[Member]):
    """Members: signature thumbnail, name, title, role."""

    COL_NAME, COL_TITLE, COL_ROLE, COL_SIGNATURE = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Họ tên"), lambda m: m.name),
                Column(self.tr("Chức vụ"), lambda m: m.title, tooltip=lambda m: m.title),
                Column(
                    self.tr("Vai trò"),
                    lambda m: role_label(m.role),
                    sort=lambda m: ROLES.index(m.role) if m.role in ROLES else 9,
                ),
                Column(
                    self.tr("Ảnh chữ ký"),
                    lambda m: "" if m.signature else self.tr("(chưa có)"),
                    sort=lambda m: 1 if m.signature else 0,
                ),
            ],
            parent,
        )
        self._thumbnails: dict[str, QPixmap] = {}

    def set_team(self, members: list[Member], thumbnails: dict[str, QPixmap]) -> None:
        self._thumbnails = dict(thumbnails)
        self.set_rows(members)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.DecorationRole
            and index.isValid()
            and index.column() == self.COL_SIGNATURE
            and 0 <= index.row() < len(self.rows())
        ):
            return self._thumbnails.get(self.row_at(index.row()).id)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == self.COL_SIGNATURE:
            return QColor("#777777")
        return super().data(index, role)


class MemberEditDialog(QDialog):
    """Name, title and role of a team member."""

    def __init__(self, parent: QWidget | None, title: str, member: Member | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name_edit = QLineEdit(member.name if member else "")
        self.name_edit.setPlaceholderText(self.tr("Ví dụ: Nguyễn Văn An"))
        self.title_edit = QLineEdit(member.title if member else "")
        self.title_edit.setPlaceholderText(self.tr("Ví dụ: Chuyên viên Phòng Cơ yếu - Công nghệ thông tin"))
        self.title_edit.setMinimumWidth(380)
        self.role_combo = QComboBox()
        for role in ROLES:
            self.role_combo.addItem(role_label(role), role)
        current = member.role if member and member.role in ROLES else ROLE_MEMBER
        self.role_combo.setCurrentIndex(ROLES.index(current))
        form = QFormLayout()
        form.addRow(self.tr("Họ và tên:"), self.name_edit)
        form.addRow(self.tr("Chức vụ:"), self.title_edit)
        form.addRow(self.tr("Vai trò trong Tổ:"), self.role_combo)
        form_dialog_layout(self, form)

    def values(self) -> tuple[str, str, str]:
        return self.name_edit.text(), self.title_edit.text(), str(self.role_combo.currentData())


class TeamTab(QWidget):
    """The appraisal team: add, edit, remove members (lead); signature images (lead, or oneself)."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model = TeamTableModel(self)
        self.proxy = SortProxy(self.model, self)
        self.view = record_view(self.proxy, TeamTableModel.COL_TITLE)
        self.view.setIconSize(THUMBNAIL)
        self.view.verticalHeader().setDefaultSectionSize(THUMBNAIL.height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TeamTableModel.COL_SIGNATURE, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(TeamTableModel.COL_SIGNATURE, THUMBNAIL.width() + 16)
        self.view.doubleClicked.connect(self._double_clicked)

        self.add_button = push_button(self.tr("Thêm thành viên…"), self.add)
        self.edit_button = push_button(self.tr("Sửa…"), self.edit)
        self.signature_button = push_button(self.tr("Chọn ảnh chữ ký…"), self.choose_signature)
        self.clear_signature_button = push_button(self.tr("Xóa ảnh chữ ký"), self.clear_signature)
        self.remove_button = push_button(self.tr("Bỏ khỏi Tổ…"), self.remove)
        self.admit_button = push_button(self.tr("Công nhận khóa…"), self.admit)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(
            left_row(
                self.add_button,
                self.edit_button,
                self.signature_button,
                self.clear_signature_button,
                self.remove_button,
                self.admit_button,
            )
        )
        self._read_only = False
        self.reload()

    def reload(self) -> None:
        members = self.ws.members()
        thumbnails = {}
        for member in members:
            data = round_admin.member_signature(self.ws, member.id) if member.signature else None
            pixmap = QPixmap()
            if data and pixmap.loadFromData(data):
                thumbnails[member.id] = pixmap.scaled(
                    THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
        self.model.set_team(members, thumbnails)
        self.view.sortByColumn(TeamTableModel.COL_ROLE, Qt.SortOrder.AscendingOrder)
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def _selected(self) -> Member | None:
        return selected_record(self.view, self.proxy, self.model)

    def _update_buttons(self) -> None:
        member = self._selected()
        own = member is not None and self.ws.actor is not None and member.id == self.ws.actor.member_id
        self.add_button.setEnabled(not self._read_only)
        self.admit_button.setEnabled(not self._read_only)
        self.edit_button.setEnabled(member is not None and not self._read_only)
        self.remove_button.setEnabled(member is not None and not self._read_only)
        # Everyone may set their own signature image; the lead anyone's.
        may_sign = member is not None and (not self._read_only or own)
        self.signature_button.setEnabled(may_sign)
        self.clear_signature_button.setEnabled(may_sign and bool(member and member.signature))

    def _done(self) -> None:
        chosen = self._selected()
        self.reload()
        if chosen is not None:
            self.select(chosen.id)
        self.changed.emit()

    def select(self, member_id: str) -> None:
        """Select a member's row (kept across a reload)."""
        select_record(self.view, self.proxy, self.model, lambda member: member.id == member_id)

    def _double_clicked(self, _index: QModelIndex) -> None:
        if not self._read_only:
            self.edit()

    def add(self) -> None:
        dialog = MemberEditDialog(self, self.tr("Thêm thành viên Tổ thẩm định"))
        while dialog.exec() == QDialog.DialogCode.Accepted:
            ok, _ = call_service(self, round_admin.add_member, self.ws, *dialog.values())
            if ok:
                self._done()
                return

    def edit(self) -> None:
        member = self._selected()
        if member is None:
            return
        dialog = MemberEditDialog(self, self.tr("Sửa thông tin thành viên"), member)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            name, title, role = dialog.values()
            ok, _ = call_service(
                self, round_admin.edit_member, self.ws, member.id, name=name, title=title, role=role
            )
            if ok:
                self._done()
                return

    def choose_signature(self) -> None:
        member = self._selected()
        if member is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Chọn ảnh chữ ký của {name}").format(name=member.name),
            "",
            self.tr("Ảnh (*.png *.jpg *.jpeg *.bmp *.gif)"),
        )
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            show_error(
                self,
                RuntimeError(self.tr("Không đọc được tệp {path}: {error}").format(path=path, error=error)),
            )
            return
        ok, _ = call_service(self, round_admin.set_member_signature, self.ws, member.id, data)
        if ok:
            self._done()

    def clear_signature(self) -> None:
        member = self._selected()
        if member is None:
            return
        ok, _ = call_service(self, round_admin.set_member_signature, self.ws, member.id, None)
        if ok:
            self._done()

    def admit(self) -> None:
        """Admit a key a member announced, after comparing its fingerprint with theirs (§9)."""
        waiting = trust.announced(self.ws)
        title = self.tr("Công nhận khóa của thành viên")
        if not waiting:
            QMessageBox.information(self, title, self.tr("Không có khóa nào đang chờ công nhận."))
            return
        labels = [
            f"{fingerprint} — {name}" + (f", {title}" if title else "")
            for fingerprint, name, title in waiting
        ]
        prompt = self.tr(
            "Đọc to vân tay và nhờ người đó đối chiếu với vân tay trên máy của họ (trực tiếp hoặc qua "
            "điện thoại). Chỉ công nhận khi hai vân tay trùng khớp hoàn toàn:"
        )
        choice, ok = QInputDialog.getItem(self, title, prompt, labels, 0, False)
        if not ok:
            return
        fingerprint = waiting[labels.index(choice)][0]
        done, _ = call_service(self, trust.admit_key, self.ws, fingerprint)
        if done:
            self._done()

    def remove(self) -> None:
        member = self._selected()
        if member is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Bỏ thành viên khỏi Tổ thẩm định"),
            self.tr(
                "Bỏ {name} khỏi Tổ thẩm định. Các thay đổi đã làm vẫn ghi tên người này trong lịch sử.\n"
                "Lý do (không bắt buộc):"
            ).format(name=member.name),
        )
        if not ok:
            return
        done, _ = call_service(self, round_admin.deactivate_member, self.ws, member.id, reason)
        if done:
            self._done()
