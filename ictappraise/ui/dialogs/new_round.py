"""Start a new round from the open one: a new database file with the agencies, team and catalogs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services import new_round, round_admin
from ictappraise.services.new_round import NewRound, NewRoundResult
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import (
    box_date,
    call_service,
    date_box,
    dialog_buttons,
    left_row,
    locked_banner,
)


class NewRoundDialog(QDialog):
    """Choose the new file, year, key, name and dates; create the round; emit created(path)."""

    created = Signal(str)

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.result_info: NewRoundResult | None = None
        self.setWindowTitle(self.tr("Tạo đợt đánh giá mới"))
        info = ws.round_info()
        plan = new_round.suggest(ws)
        self._year = plan.year

        intro = QLabel(
            self.tr(
                "<p>Tạo một tệp dữ liệu mới cho đợt đánh giá tiếp theo, lấy từ đợt đang mở «{name}».</p>"
                "<p><b>Được sao chép:</b> {agencies} đơn vị, {members} thành viên Tổ thẩm định (cả ảnh chữ ký), "
                "bộ tiêu chí và ngưỡng xếp loại của các Phụ lục, căn cứ, định mức tin bài, địa danh.</p>"
                "<p><b>Không sao chép:</b> điểm tự đánh giá, điểm thẩm định, ghi chú, minh chứng, dữ kiện điểm "
                "liệt, lịch và thông tin buổi thẩm định, biên bản. Tệp đang mở không thay đổi.</p>"
            ).format(name=info.name, agencies=len(ws.agencies()), members=len(ws.members()))
        )
        intro.setWordWrap(True)
        self.lead_label = locked_banner(self.tr("Chỉ Tổ trưởng được tạo đợt đánh giá mới."))
        self.lead_label.setVisible(not round_admin.is_lead(ws))

        self.path_edit = QLineEdit(str(ws.db.path.with_name(f"{plan.key}.db")))
        browse = QPushButton(self.tr("Chọn…"))
        browse.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(plan.year)
        self.year_spin.valueChanged.connect(self._year_changed)
        self.key_edit = QLineEdit(plan.key)
        self.key_edit.setToolTip(self.tr("Chữ thường không dấu, số và dấu gạch nối, ví dụ binh-thuan-2023."))
        self.name_edit = QLineEdit(plan.name)
        self.deadline_edit = date_box(self.tr("chưa đặt"), plan.report_deadline)
        self.start_edit = date_box(self.tr("chưa đặt"), plan.visit_start)
        self.end_edit = date_box(self.tr("chưa đặt"), plan.visit_end)
        period = left_row(self.start_edit, QLabel(self.tr("đến")), self.end_edit)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Tệp dữ liệu mới:"), path_row)
        form.addRow(self.tr("Năm đánh giá:"), self.year_spin)
        form.addRow(self.tr("Mã đợt:"), self.key_edit)
        form.addRow(self.tr("Tên đợt:"), self.name_edit)
        form.addRow(self.tr("Hạn gửi báo cáo:"), self.deadline_edit)
        form.addRow(self.tr("Thời gian thẩm định:"), period)

        self.buttons = dialog_buttons(self, self.tr("Tạo đợt mới"), self.tr("Hủy"))
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setEnabled(round_admin.is_lead(ws))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.lead_label)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)

    def _year_changed(self, year: int) -> None:
        """Follow the year in the key, the name, the file name and the dates."""
        old, self._year = self._year, year
        for edit in (self.key_edit, self.name_edit, self.path_edit):
            edit.setText(edit.text().replace(str(old), str(year)))
        for edit in (self.deadline_edit, self.start_edit, self.end_edit):
            if edit.day() is not None:
                edit.setDate(edit.date().addYears(year - old))

    def choose_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("Tệp dữ liệu của đợt đánh giá mới"),
            self.path_edit.text(),
            self.tr("Tệp dữ liệu ictappraise (*.db)"),
        )
        if path:
            self.path_edit.setText(path if path.lower().endswith(".db") else f"{path}.db")

    def plan(self) -> NewRound:
        """What the form holds."""
        return NewRound(
            key=self.key_edit.text().strip(),
            year=self.year_spin.value(),
            name=self.name_edit.text(),
            report_deadline=box_date(self.deadline_edit),
            visit_start=box_date(self.start_edit),
            visit_end=box_date(self.end_edit),
        )

    def accept(self) -> None:
        """Create the new round's file; stay open with the reason when refused."""
        target = self.path_edit.text().strip()
        if not target:
            QMessageBox.information(self, self.windowTitle(), self.tr("Hãy chọn nơi lưu tệp dữ liệu mới."))
            return
        ok, result = call_service(self, new_round.start_new_round, self.ws, Path(target), self.plan())
        if not ok:
            return
        self.result_info = result
        QMessageBox.information(
            self,
            self.windowTitle(),
            self.tr(
                "Đã tạo đợt đánh giá mới trong tệp {path}: {agencies} đơn vị, {members} thành viên Tổ, "
                "{catalogs} bộ tiêu chí. Mở tệp này bằng menu Tệp → Mở để bắt đầu."
            ).format(
                path=result.path, agencies=result.agencies, members=result.members, catalogs=result.catalogs
            ),
        )
        self.created.emit(str(result.path))
        super().accept()
