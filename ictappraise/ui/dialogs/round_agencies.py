"""Round settings tab «Đơn vị»: the agencies of the round and their visit schedule."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.dates import format_day
from ictappraise.domain.rating import CATEGORIES
from ictappraise.services import round_admin
from ictappraise.services.round_admin import AgencyRow
from ictappraise.services.workspace import Workspace
from ictappraise.ui.day_edit import DayEdit
from ictappraise.ui.dialogs.common import (
    Column,
    RecordTableModel,
    SortProxy,
    call_service,
    form_dialog_layout,
    left_row,
    push_button,
    record_view,
    select_record,
    selected_record,
    selected_row,
)


class AgencyAdminModel(RecordTableModel[AgencyRow]):
    """Agencies: code, name, Phụ lục, visit date and time, whether scored or signed."""

    COL_CODE, COL_NAME, COL_CATEGORY, COL_DATE, COL_TIME, COL_STATE = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(self.tr("Mã"), lambda r: r.agency.code),
                Column(self.tr("Tên đơn vị"), lambda r: r.agency.name, tooltip=lambda r: r.agency.name),
                Column(
                    self.tr("Phụ lục"),
                    lambda r: r.agency.category,
                    sort=lambda r: r.agency.category * 1000 + r.order,
                    align=Qt.AlignmentFlag.AlignHCenter,
                ),
                Column(
                    self.tr("Ngày thẩm định"),
                    lambda r: format_day(r.agency.visit_date),
                    sort=lambda r: f"{r.agency.visit_date or ''} {r.agency.visit_time}",
                ),
                Column(self.tr("Giờ"), lambda r: r.agency.visit_time),
                Column(self.tr("Tình trạng"), self._state, tooltip=self._state_tip),
            ],
            parent,
        )

    def _state(self, row: AgencyRow) -> str:
        if row.signed:
            return self.tr("Đã ký biên bản")
        if row.appraised:
            return self.tr("Đang thẩm định")
        return self.tr("Có điểm tự đánh giá") if row.has_scores else self.tr("Chưa có điểm")

    def _state_tip(self, row: AgencyRow) -> str:
        if row.has_scores:
            return self.tr("Đã có điểm: không đổi được Phụ lục; bỏ khỏi đợt phải ghi lý do.")
        return ""


class AgencyEditDialog(QDialog):
    """Code, name and (for a new agency) Phụ lục of an agency."""

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        code: str = "",
        name: str = "",
        category: int | None = 2,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.code_edit = QLineEdit(code)
        self.code_edit.setPlaceholderText(self.tr("Ví dụ: HUTP"))
        self.name_edit = QLineEdit(name)
        self.name_edit.setPlaceholderText(self.tr("Ví dụ: Huyện ủy Tuy Phong"))
        self.name_edit.setMinimumWidth(360)
        self.category_combo = QComboBox()
        for item in CATEGORIES:
            self.category_combo.addItem(self.tr("Phụ lục {n}").format(n=item), item)
        form = QFormLayout()
        form.addRow(self.tr("Mã (viết tắt):"), self.code_edit)
        form.addRow(self.tr("Tên đơn vị:"), self.name_edit)
        if category is not None:
            self.category_combo.setCurrentIndex(CATEGORIES.index(category))
            form.addRow(self.tr("Nhóm đối tượng:"), self.category_combo)
        form_dialog_layout(self, form)

    def values(self) -> tuple[str, str, int]:
        return self.code_edit.text(), self.name_edit.text(), int(self.category_combo.currentData())


class ScheduleDialog(QDialog):
    """The visit date and start time of an agency."""

    def __init__(self, parent: QWidget | None, agency_name: str, day: date | None, start: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Lịch thẩm định — {agency}").format(agency=agency_name))
        self.date_edit = DayEdit()
        self.date_edit.set_day(day or date.today())
        self.time_edit = QLineEdit(start)
        self.time_edit.setPlaceholderText(self.tr("hh:mm, ví dụ 07:30"))
        form = QFormLayout()
        form.addRow(self.tr("Ngày thẩm định:"), self.date_edit)
        form.addRow(self.tr("Giờ bắt đầu:"), self.time_edit)
        form_dialog_layout(self, form)

    def values(self) -> tuple[date | None, str]:
        return self.date_edit.day(), self.time_edit.text()


class AgenciesTab(QWidget):
    """Add, rename, re-categorise, schedule and remove agencies (lead only)."""

    changed = Signal()

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.model = AgencyAdminModel(self)
        self.proxy = SortProxy(self.model, self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(self.tr("Tìm theo mã hoặc tên đơn vị…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.count_label = QLabel()
        self.view = record_view(self.proxy, AgencyAdminModel.COL_NAME)
        self.view.doubleClicked.connect(lambda _index: self.rename())

        self.add_button = push_button(self.tr("Thêm đơn vị…"), self.add)
        self.rename_button = push_button(self.tr("Sửa tên, mã…"), self.rename)
        self.category_button = push_button(self.tr("Đổi Phụ lục…"), self.change_category)
        self.schedule_button = push_button(self.tr("Lịch thẩm định…"), self.schedule)
        self.remove_button = push_button(self.tr("Bỏ khỏi đợt…"), self.remove)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(left_row(self.add_button, *self._row_buttons()))
        self._read_only = False
        self.reload()

    def _row_buttons(self) -> tuple[QPushButton, ...]:
        return (self.rename_button, self.category_button, self.schedule_button, self.remove_button)

    def reload(self) -> None:
        self.model.set_rows(round_admin.agency_rows(self.ws))
        self.view.sortByColumn(AgencyAdminModel.COL_CATEGORY, Qt.SortOrder.AscendingOrder)
        self.count_label.setText(self.tr("{n} đơn vị").format(n=len(self.model.rows())))
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = selected_row(self.view, self.proxy) is not None
        self.add_button.setEnabled(not self._read_only)
        for button in self._row_buttons():
            button.setEnabled(chosen and not self._read_only)

    def _selected(self) -> AgencyRow | None:
        return selected_record(self.view, self.proxy, self.model)

    def _done(self, agency_id: str | None = None) -> None:
        self.reload()
        if agency_id:
            self.select(agency_id)
        self.changed.emit()

    def select(self, agency_id: str) -> None:
        """Select an agency's row (after adding or editing it)."""
        select_record(self.view, self.proxy, self.model, lambda row: row.agency.id == agency_id)

    def add(self) -> None:
        dialog = AgencyEditDialog(self, self.tr("Thêm đơn vị"))
        while dialog.exec() == QDialog.DialogCode.Accepted:
            ok, new_id = call_service(self, round_admin.add_agency, self.ws, *dialog.values())
            if ok:
                self._done(new_id)
                return

    def rename(self) -> None:
        row = self._selected()
        if row is None or self._read_only:
            return
        agency = row.agency
        dialog = AgencyEditDialog(
            self, self.tr("Sửa tên, mã đơn vị"), agency.code, agency.name, category=None
        )
        while dialog.exec() == QDialog.DialogCode.Accepted:
            code, name, _category = dialog.values()
            ok, _ = call_service(self, round_admin.rename_agency, self.ws, agency.id, name, code)
            if ok:
                self._done(agency.id)
                return

    def change_category(self) -> None:
        row = self._selected()
        if row is None:
            return
        labels = [self.tr("Phụ lục {n}").format(n=c) for c in CATEGORIES]
        label, ok = QInputDialog.getItem(
            self,
            self.tr("Đổi nhóm đối tượng"),
            self.tr("Nhóm đối tượng của {agency}:").format(agency=row.agency.name),
            labels,
            CATEGORIES.index(row.agency.category),
            False,
        )
        if ok and label:
            category = CATEGORIES[labels.index(label)]
            done, _ = call_service(self, round_admin.change_category, self.ws, row.agency.id, category)
            if done:
                self._done(row.agency.id)

    def schedule(self) -> None:
        row = self._selected()
        if row is None:
            return
        agency = row.agency
        dialog = ScheduleDialog(self, agency.name, agency.visit_date, agency.visit_time)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            ok, _ = call_service(self, round_admin.set_schedule, self.ws, agency.id, *dialog.values())
            if ok:
                self._done(agency.id)
                return

    def remove(self) -> None:
        row = self._selected()
        if row is None:
            return
        name = row.agency.name
        reason: str | None = None
        if row.has_scores:
            reason, ok = QInputDialog.getText(
                self,
                self.tr("Bỏ đơn vị khỏi đợt đánh giá"),
                self.tr("{agency} đã có điểm. Ghi lý do bỏ đơn vị khỏi đợt đánh giá:").format(agency=name),
            )
            if not ok:
                return
        else:
            answer = QMessageBox.question(
                self,
                self.tr("Bỏ đơn vị khỏi đợt đánh giá"),
                self.tr("Bỏ {agency} khỏi đợt đánh giá? Lịch sử thay đổi vẫn giữ lại.").format(agency=name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        ok, _ = call_service(self, round_admin.deactivate_agency, self.ws, row.agency.id, reason)
        if ok:
            self._done()
