"""File → Sao lưu và khôi phục: the rotating backups of the open database, restorable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
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
from ictappraise.services.database import (
    REASON_MANUAL,
    BackupInfo,
    backup_database,
    list_backups,
    restore_backup,
)
from ictappraise.services.errors import USER_ERRORS
from ictappraise.ui.dialogs.common import Column, RecordTableModel, tr

if TYPE_CHECKING:
    from ictappraise.ui.main_window import MainWindow

BackupRow = tuple[BackupInfo, int | None]  # the backup and how many edits it holds


def backup_model(parent: QWidget) -> RecordTableModel[BackupRow]:
    """Backups, newest first: when, why, size, how many edits."""
    columns = [
        Column[BackupRow](tr("Thời điểm"), lambda r: format_moment(r[0].created, seconds=True)),
        Column[BackupRow](tr("Lý do"), lambda r: r[0].label),
        Column[BackupRow](tr("Dung lượng"), lambda r: f"{r[0].size / 1_048_576:.1f} MB".replace(".", ",")),
        Column[BackupRow](tr("Số sửa đổi"), lambda r: "—" if r[1] is None else r[1]),
    ]
    return RecordTableModel(columns, parent)


class BackupDialog(QDialog):
    """Lists backups; takes one now; restores the chosen one (the window then reopens the file)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window_ = window
        self.restore_choice: BackupInfo | None = None
        self.setWindowTitle(self.tr("Sao lưu và khôi phục"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "Chương trình tự sao lưu khi mở tệp và trước mỗi lần nhập hoặc tổng hợp dữ liệu. "
                    "Khôi phục sẽ thay tệp đang mở bằng bản sao lưu đã chọn; tệp hiện tại được giữ "
                    "lại thành một bản an toàn."
                )
            )
        )
        self.model = backup_model(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("Sao lưu ngay"))
        self.restore_button = QPushButton(self.tr("Khôi phục bản đã chọn…"))
        close = QPushButton(self.tr("Đóng"))
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.choose_restore)
        close.clicked.connect(self.reject)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows([(info, info.edit_count()) for info in list_backups(self.window_.ws.db.path)])
        self.view.resizeColumnsToContents()

    def backup_now(self) -> None:
        try:
            backup_database(self.window_.ws.db, REASON_MANUAL)
        except USER_ERRORS as error:
            QMessageBox.warning(self, self.tr("Không sao lưu được"), str(error))
        self.reload()

    def choose_restore(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.tr("Khôi phục"), self.tr("Hãy chọn một bản sao lưu."))
            return
        info, _edits = self.model.row_at(rows[0].row())
        answer = QMessageBox.question(
            self,
            self.tr("Khôi phục bản sao lưu"),
            self.tr(
                "Thay dữ liệu đang mở bằng bản sao lưu lúc {t}? Tệp hiện tại được giữ làm bản an toàn."
            ).format(t=format_moment(info.created, seconds=True)),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_choice = info
            self.accept()


def restore_into(window: MainWindow, info: BackupInfo) -> MainWindow | None:
    """Close the database, put the backup in its place, open it again in a new window."""
    path = window.ws.db.path
    actor = window.ws.actor
    window.save_state()  # the reopened window reads the layout and the agency from here
    window.ws.db.close()  # restore refuses while the file is open, this program included
    try:
        restore_backup(info, path)
    except USER_ERRORS as error:
        QMessageBox.warning(window, window.tr("Không khôi phục được"), str(error))
    reopened = window.open_window(path, actor=actor, parent_for_errors=window)
    window.close()  # its file is closed either way: it must not stay on screen, usable
    return reopened
