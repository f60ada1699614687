"""Thiết lập đợt đánh giá: the round's settings, thresholds, agencies, team and catalogs.

Only the lead changes them; everyone else sees the same tabs read-only, with a label that
says why (a member may still set their own signature image in «Tổ thẩm định»).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services import round_admin
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import (
    box_date,
    call_service,
    date_box,
    left_row,
    locked_banner,
    role_label,
    set_box_date,
)
from ictappraise.ui.dialogs.round_agencies import AgenciesTab
from ictappraise.ui.dialogs.round_rules import CatalogsTab, ThresholdsTab
from ictappraise.ui.dialogs.round_team import TeamTab


class SettingsTab(QWidget):
    """Name, report deadline, portal quota, place, legal basis, copies, visit period."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.name_edit = QLineEdit()
        self.year_label = QLabel()
        self.deadline_edit = date_box(self.tr("chưa đặt"))
        self.quota_spin = QSpinBox()
        self.quota_spin.setRange(0, 1000)
        self.quota_spin.setSuffix(self.tr(" tin, bài mỗi tháng"))
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(self.tr("Ví dụ: Phan Thiết"))
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(1, 20)
        self.copies_spin.setSuffix(self.tr(" bản"))
        self.start_edit = date_box(self.tr("chưa đặt"))
        self.end_edit = date_box(self.tr("chưa đặt"))
        self.basis_edit = QPlainTextEdit()
        self.basis_edit.setPlaceholderText(
            self.tr("Mỗi văn bản một dòng, ví dụ: Công văn số 294-CV/TU, ngày 23/11/2021 …")
        )
        self.basis_edit.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        period = left_row(self.start_edit, QLabel(self.tr("đến")), self.end_edit)
        form = QFormLayout()
        # Text fields use the width; numbers and dates keep their natural size.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Tên đợt đánh giá:"), self.name_edit)
        form.addRow(self.tr("Năm đánh giá:"), self.year_label)
        form.addRow(self.tr("Hạn gửi báo cáo:"), self.deadline_edit)
        form.addRow(self.tr("Định mức tin, bài trên Cổng TTĐT:"), self.quota_spin)
        form.addRow(self.tr("Thời gian thẩm định:"), period)
        form.addRow(self.tr("Địa danh ghi trên biên bản:"), self.place_edit)
        form.addRow(self.tr("Số bản biên bản:"), self.copies_spin)
        form.addRow(self.tr("Căn cứ ghi trong biên bản\n(mỗi văn bản một dòng):"), self.basis_edit)
        self.save_button = QPushButton(self.tr("Lưu thiết lập"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Hoàn lại"))
        self.revert_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        for edit in (self.name_edit, self.place_edit):
            edit.textEdited.connect(self._mark_dirty)
        for spin in (self.quota_spin, self.copies_spin):
            spin.valueChanged.connect(self._mark_dirty)
        for day in (self.deadline_edit, self.start_edit, self.end_edit):
            day.dateChanged.connect(self._mark_dirty)
        self.basis_edit.textChanged.connect(self._mark_dirty)
        self._read_only = False
        self._loading = False
        self.dirty = False
        self.reload()

    def _mark_dirty(self) -> None:
        if not self._loading:
            self.dirty = True
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.dirty and not self._read_only)
        self.revert_button.setEnabled(self.dirty and not self._read_only)

    def reload(self) -> None:
        """Show the settings as recorded (discarding what was typed and not saved)."""
        info = self.ws.round_info()
        self._loading = True
        try:
            self.name_edit.setText(info.name)
            self.year_label.setText(str(info.year) if info.year else "")
            set_box_date(self.deadline_edit, info.report_deadline)
            self.quota_spin.setValue(info.portal_quota)
            set_box_date(self.start_edit, info.visit_start)
            set_box_date(self.end_edit, info.visit_end)
            self.place_edit.setText(info.place)
            self.copies_spin.setValue(info.minutes_copies)
            self.basis_edit.setPlainText("\n".join(info.legal_basis))
        finally:
            self._loading = False
        self.dirty = False
        self._update_buttons()

    def values(self) -> dict[str, object]:
        """What the form holds, as round_admin.set_round_settings takes it."""
        return {
            "name": self.name_edit.text(),
            "report_deadline": box_date(self.deadline_edit),
            "portal_quota": self.quota_spin.value(),
            "place": self.place_edit.text(),
            "legal_basis": self.basis_edit.toPlainText().splitlines(),
            "minutes_copies": self.copies_spin.value(),
            "visit_start": box_date(self.start_edit),
            "visit_end": box_date(self.end_edit),
        }

    def save(self) -> bool:
        """Save the form (one transaction); False when refused."""
        ok, _count = call_service(self, round_admin.set_round_settings, self.ws, **self.values())
        if ok:
            self.reload()
            self.changed.emit()
        return bool(ok)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for edit in (self.name_edit, self.place_edit):
            edit.setReadOnly(read_only)
        self.basis_edit.setReadOnly(read_only)
        for widget in (self.quota_spin, self.copies_spin, self.deadline_edit, self.start_edit, self.end_edit):
            widget.setReadOnly(read_only)
        self.save_button.setVisible(not read_only)
        self.revert_button.setVisible(not read_only)
        self._update_buttons()


class RoundSettingsDialog(QDialog):
    """The round's settings in five tabs; emits changed after anything was written."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(self.tr("Thiết lập đợt đánh giá"))
        self.settings_tab = SettingsTab(ws)
        self.thresholds_tab = ThresholdsTab(ws)
        self.agencies_tab = AgenciesTab(ws)
        self.team_tab = TeamTab(ws)
        self.catalogs_tab = CatalogsTab(ws)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.settings_tab, self.tr("Đợt đánh giá"))
        self.tabs.addTab(self.thresholds_tab, self.tr("Ngưỡng xếp loại"))
        self.tabs.addTab(self.agencies_tab, self.tr("Đơn vị"))
        self.tabs.addTab(self.team_tab, self.tr("Tổ thẩm định"))
        self.tabs.addTab(self.catalogs_tab, self.tr("Bộ tiêu chí"))
        for tab in self._tabs():
            tab.changed.connect(lambda tab=tab: self._tab_changed(tab))

        self.read_only = not round_admin.is_lead(ws)
        self.read_only_label = locked_banner(self._read_only_text())
        self.read_only_label.setVisible(self.read_only)
        for tab in self._tabs():
            tab.set_read_only(self.read_only)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.read_only_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.setMinimumSize(720, 480)
        self.resize(1000, 620)

    def _tabs(self) -> tuple[SettingsTab | ThresholdsTab | AgenciesTab | TeamTab | CatalogsTab, ...]:
        return (self.settings_tab, self.thresholds_tab, self.agencies_tab, self.team_tab, self.catalogs_tab)

    def _read_only_text(self) -> str:
        actor = self.ws.actor
        member = self.ws.member(actor.member_id) if actor else None
        who = (
            self.tr("Bạn ({name}, {role})").format(name=member.name, role=role_label(member.role))
            if member
            else self.tr("Bạn (chưa khai báo là thành viên Tổ)")
        )
        return self.tr(
            "Chỉ Tổ trưởng được thay đổi thiết lập đợt đánh giá, ngưỡng xếp loại, đơn vị, Tổ thẩm định và "
            "bộ tiêu chí. {who} chỉ xem được; riêng ảnh chữ ký của mình thì tự chọn được ở thẻ «Tổ thẩm định»."
        ).format(who=who)

    def _tab_changed(self, source: QWidget) -> None:
        # Other tabs show what one tab changes (a replaced catalog's maximum in the thresholds,
        # scored agencies in the catalogs); the source tab has already reloaded itself.
        for tab in self._tabs():
            if tab is not source and not (tab is self.settings_tab and self.settings_tab.dirty):
                tab.reload()
        self.changed.emit()

    def reject(self) -> None:
        """Closing with unsaved settings asks whether to save them."""
        if self.settings_tab.dirty and not self.read_only:
            answer = QMessageBox.question(
                self,
                self.windowTitle(),
                self.tr("Thẻ «Đợt đánh giá» có thay đổi chưa lưu. Lưu trước khi đóng?"),
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.settings_tab.save():
                return
        super().reject()
