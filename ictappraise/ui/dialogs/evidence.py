"""Evidence files of one criterion: list, add, open, remove (locked once the minutes are signed)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.dates import format_moment
from ictappraise.domain.limits import format_size
from ictappraise.services import evidence
from ictappraise.services.evidence import AttachmentInfo
from ictappraise.services.workspace import Workspace
from ictappraise.ui.dialogs.common import Column, RecordTableModel, SortProxy, call_service, show_error


class AttachmentTableModel(RecordTableModel[AttachmentInfo]):
    """Evidence files: name, size, when added."""

    COL_NAME, COL_SIZE, COL_ADDED = range(3)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            [
                Column(
                    self.tr("Tên tệp"),
                    lambda a: a.name,
                    sort=lambda a: a.name.casefold(),
                    tooltip=lambda a: a.name,
                ),
                Column(
                    self.tr("Dung lượng"),
                    lambda a: format_size(a.size),
                    sort=lambda a: a.size,
                    align=Qt.AlignmentFlag.AlignRight,
                ),
                Column(
                    self.tr("Ngày thêm"),
                    lambda a: format_moment(a.added),
                    sort=lambda a: a.added.isoformat() if a.added else "",
                ),
            ],
            parent,
        )


# Extensions the system would run rather than show (evidence travels between laptops).
RUNNABLE = frozenset(
    ".exe .com .bat .cmd .msi .scr .pif .lnk .url .js .jse .vbs .vbe .wsf .ps1 .hta .jar .reg .sh .py .cpl .dll".split()
)


class EvidenceDialog(QDialog):
    """The evidence (tài liệu kiểm chứng) attached to one criterion of an agency."""

    changed = Signal(str)  # agency id, after a file was added or removed

    def __init__(self, ws: Workspace, agency_id: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.agency_id, self.code = ws, agency_id, code
        agency = ws.agency(agency_id)
        criterion = ws.catalog(agency.category).find(code)
        self.setWindowTitle(
            self.tr("Tài liệu kiểm chứng — {agency} — tiêu chí {code}").format(agency=agency.name, code=code)
        )
        heading = QLabel(
            self.tr("{agency} — tiêu chí <b>{code}</b>: {name}").format(
                agency=agency.name, code=code, name=criterion.name if criterion else ""
            )
        )
        heading.setWordWrap(True)
        hint = QLabel(
            self.tr("Cần có: {evidence}").format(evidence=criterion.evidence)
            if criterion and criterion.evidence
            else ""
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.locked_label = QLabel(
            self.tr(
                "Biên bản thẩm định của đơn vị đã ký: không thêm hoặc gỡ tệp được nữa, chỉ xem. "
                "Muốn sửa, Tổ trưởng mở lại biên bản (ghi rõ lý do)."
            )
        )
        self.locked_label.setWordWrap(True)
        self.locked_label.setStyleSheet(
            "color: #8e1616; background: #f7e1e1; padding: 6px; border-radius: 4px;"
        )

        self.model = AttachmentTableModel(self)
        self.proxy = SortProxy(self.model, self)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(AttachmentTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(AttachmentTableModel.COL_SIZE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AttachmentTableModel.COL_ADDED, QHeaderView.ResizeMode.ResizeToContents)
        self.table.sortByColumn(AttachmentTableModel.COL_ADDED, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._open_index)
        self.empty_label = QLabel(self.tr("Chưa có tệp minh chứng nào cho tiêu chí này."))
        self.empty_label.setStyleSheet("color: #777;")

        self.add_button = QPushButton(self.tr("Thêm tệp…"))
        self.open_button = QPushButton(self.tr("Mở"))
        self.remove_button = QPushButton(self.tr("Gỡ bỏ"))
        self.add_button.clicked.connect(self.add_files)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.locked_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(row)
        self.setMinimumSize(520, 320)
        self.resize(760, 420)
        self.reload()

    @property
    def locked(self) -> bool:
        return self.ws.is_signed(self.agency_id)

    def reload(self) -> None:
        """Read the list again and enable what the state allows."""
        ok, found = call_service(self, evidence.list_attachments, self.ws, self.agency_id, self.code)
        self.model.set_rows(found if ok else [])
        self.locked_label.setVisible(self.locked)
        self.empty_label.setVisible(not self.model.rows())
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.add_button.setEnabled(not self.locked)
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen and not self.locked)

    def _selected(self) -> list[AttachmentInfo]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.row_at(self.proxy.mapToSource(index).row()) for index in rows]

    def add_files(self) -> None:
        """Ask for files and attach them (all or none)."""
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Chọn tệp minh chứng"),
            "",
            self.tr("Tài liệu và ảnh (*.pdf *.doc *.docx *.xls *.xlsx *.jpg *.jpeg *.png);;Mọi tệp (*)"),
        )
        if not paths:
            return
        ok, added = call_service(self, evidence.attach_files, self.ws, self.agency_id, self.code, paths)
        if ok:
            self.reload()
            if added:
                self.changed.emit(self.agency_id)
            if added < len(paths):
                QMessageBox.information(
                    self,
                    self.windowTitle(),
                    self.tr(
                        "{n} tệp đã có sẵn trong tiêu chí này (cùng nội dung) nên không thêm lại."
                    ).format(n=len(paths) - added),
                )

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_selected()

    def _confirm_runnable(self, name: str) -> bool:
        """Evidence arrives from other laptops: a file that runs a program is opened only on request."""
        answer = QMessageBox.warning(
            self,
            self.windowTitle(),
            self.tr(
                "«{n}» là tệp chạy chương trình, không phải tài liệu. Chỉ mở nếu chắc chắn tệp an toàn. Vẫn mở?"
            ).format(n=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def open_selected(self) -> None:
        """Copy the chosen files to a temporary folder and open them with their usual program."""
        for item in self._selected():
            if Path(item.name).suffix.lower() in RUNNABLE and not self._confirm_runnable(item.name):
                continue
            ok, path = call_service(self, evidence.export_attachment, self.ws, item.sha256, item.name)
            if ok and not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                show_error(self, RuntimeError(self.tr("Không mở được tệp {path}.").format(path=path)))

    def remove_selected(self) -> None:
        """Detach the chosen files after a confirmation."""
        chosen = self._selected()
        if not chosen:
            return
        names = "\n".join(f"• {item.name}" for item in chosen)
        answer = QMessageBox.question(
            self,
            self.tr("Gỡ tệp minh chứng"),
            self.tr(
                "Gỡ {n} tệp khỏi tiêu chí {code}?\n{names}\n\nLịch sử thay đổi vẫn ghi lại việc này."
            ).format(n=len(chosen), code=self.code, names=names),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        for item in chosen:
            ok, _ = call_service(
                self, evidence.remove_attachment, self.ws, self.agency_id, self.code, item.sha256
            )
            if not ok:
                break
        self.reload()
        self.changed.emit(self.agency_id)
