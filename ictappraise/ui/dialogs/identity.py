"""First start on a laptop: the appraiser says who they are (a member of the team, or a newcomer).

The answer is an ictappraise.settings.Identity; the caller saves it in the per-user
configuration and, for a newcomer, adds them to the team (services.identity.actor_for).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.roles import ROLE_LEAD, ROLE_MEMBER
from ictappraise.services.model import Member
from ictappraise.services.workspace import Workspace
from ictappraise.settings import Identity
from ictappraise.ui.dialogs.common import (
    ROLES,
    Column,
    RecordTableModel,
    SortProxy,
    dialog_buttons,
    role_label,
    select_record,
    selected_record,
)


class MemberTableModel(RecordTableModel[Member]):
    """Team members: name, title, role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Họ tên"), lambda m: m.name),
                Column(self.tr("Chức vụ"), lambda m: m.title, tooltip=lambda m: m.title),
                Column(self.tr("Vai trò"), lambda m: role_label(m.role)),
            ],
            parent,
        )


class IdentityDialog(QDialog):
    """Pick yourself from the team of the round, or type a new name, title and role."""

    def __init__(
        self, members: Sequence[Member], parent: QWidget | None = None, *, at_start: bool = False
    ) -> None:
        """at_start: asked while the program opens its first file, so cancelling ends the program."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Người sử dụng máy này"))
        self.setMinimumWidth(640)
        self._members = list(members)
        self._identity: Identity | None = None
        self.is_new_member = False

        intro = QLabel(
            self.tr(
                "Mỗi điểm số, ghi chú, chữ ký đều ghi tên người thực hiện. Hãy cho biết bạn là ai trong "
                "Tổ thẩm định. Thông tin này chỉ lưu trên máy này, không lưu trong tệp dữ liệu."
            )
        )
        intro.setWordWrap(True)

        self.existing_radio = QRadioButton(self.tr("Tôi có tên trong danh sách Tổ thẩm định của đợt này:"))
        self.model = MemberTableModel(self)
        self.model.set_rows(self._members)
        self.proxy = SortProxy(self.model, self)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._accept_double_click)

        self.new_radio = QRadioButton(self.tr("Tôi chưa có tên trong danh sách (thêm mới vào Tổ):"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("Ví dụ: Nguyễn Văn An"))
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("Ví dụ: Chuyên viên Phòng Cơ yếu - Công nghệ thông tin"))
        self.role_combo = QComboBox()
        for role in ROLES:
            self.role_combo.addItem(role_label(role), role)
        self.role_combo.setCurrentIndex(ROLES.index(ROLE_MEMBER))
        self.new_form = QWidget()
        form = QFormLayout(self.new_form)
        form.setContentsMargins(24, 0, 0, 0)
        form.addRow(self.tr("Họ và tên:"), self.name_edit)
        form.addRow(self.tr("Chức vụ:"), self.title_edit)
        form.addRow(self.tr("Vai trò trong Tổ:"), self.role_combo)

        group = QButtonGroup(self)
        group.addButton(self.existing_radio)
        group.addButton(self.new_radio)
        # Both choices stay usable: touching one side chooses it.
        self.name_edit.textEdited.connect(lambda _text: self.new_radio.setChecked(True))
        self.table.clicked.connect(lambda _index: self.existing_radio.setChecked(True))

        if at_start:
            consequence = self.tr(
                "Chưa chọn người dùng thì chương trình chưa mở được tệp dữ liệu: bấm «Thoát» sẽ đóng "
                "chương trình, lần mở sau sẽ hỏi lại."
            )
            cancel_text = self.tr("Thoát")
        else:
            consequence = self.tr("Chưa chọn người dùng thì chưa mở được tệp dữ liệu này.")
            cancel_text = self.tr("Không mở tệp")
        from ictappraise.services.trust import local_fingerprints

        here = local_fingerprints()
        self.fingerprint_label = QLabel(
            self.tr(
                "Vân tay khóa của máy này: {keys}. Tổ trưởng đối chiếu vân tay này khi công nhận khóa."
            ).format(keys="; ".join(f"{name} — {fingerprint}" for name, fingerprint in here))
            if here
            else self.tr(
                "Máy này chưa có khóa: khóa được tạo khi bạn xác nhận; vân tay xem tại «ictappraise identity»."
            )
        )
        self.fingerprint_label.setWordWrap(True)
        self.consequence_label = QLabel(consequence)
        self.consequence_label.setWordWrap(True)
        buttons = dialog_buttons(self, self.tr("Xác nhận"), cancel_text)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.existing_radio)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.new_radio)
        layout.addWidget(self.new_form)
        layout.addWidget(self.fingerprint_label)
        layout.addWidget(self.consequence_label)
        layout.addWidget(buttons)

        if self._members:
            # Nobody is chosen for the user: pressing Enter must not make a newcomer the lead
            # (or anyone else) on this laptop; they pick their own name.
            self.existing_radio.setChecked(True)
            self.table.setFocus()
        else:
            self.existing_radio.setEnabled(False)
            self.table.setEnabled(False)
            self.new_radio.setChecked(True)
            self.name_edit.setFocus()

    def select_member(self, name: str) -> None:
        """Select a member of the list by name (for tests and the caller's default)."""
        if select_record(self.table, self.proxy, self.model, lambda member: member.name == name):
            self.existing_radio.setChecked(True)

    def _selected(self) -> Member | None:
        return selected_record(self.table, self.proxy, self.model)

    def _accept_double_click(self, index: QModelIndex) -> None:
        if index.isValid():
            self.accept()

    def accept(self) -> None:
        """Check the answer; stay open with a message when it cannot be used."""
        if self.existing_radio.isChecked():
            member = self._selected()
            if member is None:
                QMessageBox.information(
                    self, self.windowTitle(), self.tr("Hãy chọn tên của bạn trong danh sách.")
                )
                return
            self._identity = Identity(member.name, member.title, member.role)
            self.is_new_member = False
            super().accept()
            return
        name = " ".join(self.name_edit.text().split())
        if not name:
            QMessageBox.information(self, self.windowTitle(), self.tr("Hãy nhập họ và tên của bạn."))
            self.name_edit.setFocus()
            return
        role = str(self.role_combo.currentData())
        same = next((m for m in self._members if m.name.casefold() == name.casefold()), None)
        if same is not None:  # typed a name that is already in the team: that member
            self._identity = Identity(same.name, same.title, same.role)
            self.is_new_member = False
            super().accept()
            return
        lead = next((m for m in self._members if m.role == ROLE_LEAD), None)
        if role == ROLE_LEAD and lead is not None:
            QMessageBox.information(
                self,
                self.windowTitle(),
                self.tr("Đợt này đã có Tổ trưởng ({name}). Hãy chọn vai trò Thành viên hoặc Thư ký.").format(
                    name=lead.name
                ),
            )
            return
        self._identity = Identity(name, " ".join(self.title_edit.text().split()), role)
        self.is_new_member = True
        super().accept()

    def identity(self) -> Identity | None:
        """The answer once accepted, else None."""
        return self._identity


def ask_identity(parent: QWidget | None, ws: Workspace, *, at_start: bool = False) -> Identity | None:
    """Ask who uses this laptop; None when the question is put off (at_start: the program ends)."""
    dialog = IdentityDialog(ws.members(), parent, at_start=at_start)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.identity()
    return None
