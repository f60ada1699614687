"""Excel from the GUI: forms out, self-assessments in (with a preview), results out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ictappraise.services import excel_import, worker
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.workspace import Workspace
from ictappraise.ui.day_edit import DayEdit
from ictappraise.ui.dialogs.common import ask_save_file
from ictappraise.ui.operations import OperationCancelled, Progress, on_own_workspace, run_op

if TYPE_CHECKING:
    from ictappraise.ui.main_window import MainWindow


class ImportPreviewDialog(QDialog):
    """Shows what an import will change (per criterion: current → new); OK applies it."""

    def __init__(self, plan: excel_import.ImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Xem trước khi nhập"))
        self.resize(820, 560)
        layout = QVBoxLayout(self)
        changes = len(plan.changes)
        if plan.errors:
            head = self.tr("Có lỗi: không nhập gì cả. Hãy sửa tệp rồi nhập lại.")
        elif changes:
            head = self.tr("Sẽ ghi {n} thay đổi. Kiểm tra rồi bấm Nhập.").format(n=changes)
        else:
            head = self.tr("Không có gì thay đổi (dữ liệu đã có sẵn).")
        title = QLabel(head)
        title.setStyleSheet("font-weight: bold; font-size: 14px;")
        layout.addWidget(title)
        text = QPlainTextEdit("\n".join(plan.summary()))
        text.setReadOnly(True)
        layout.addWidget(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        if not plan.errors and changes:
            buttons.addButton(self.tr("Nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ImportOptionsDialog(QDialog):
    """The date the forms were sent, and whether they carry appraised scores."""

    def __init__(self, files: Sequence[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Nhập phiếu từ Excel"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("{n} tệp: {names}").format(n=len(files), names=", ".join(f.name for f in files)))
        )
        self.has_date = QCheckBox(self.tr("Ghi ngày đơn vị gửi báo cáo (để xét gửi muộn):"))
        self.sent = DayEdit()  # empty until typed: a pre-filled day would be recorded unread
        self.sent.setEnabled(False)
        self.has_date.toggled.connect(self.sent.setEnabled)
        self.appraised = QCheckBox(self.tr("Tệp chứa điểm thẩm định của tôi (không phải phiếu tự đánh giá)"))
        for widget in (self.has_date, self.sent, self.appraised):
            layout.addWidget(widget)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def sent_date(self) -> date | None:
        return self.sent.day() if self.has_date.isChecked() else None


def import_forms(window: MainWindow, files: Sequence[Path] | None = None) -> int:
    """Pick forms, preview, confirm, apply in one transaction; return the edits written."""
    if files is None:
        chosen, _ = QFileDialog.getOpenFileNames(
            window,
            window.tr("Chọn phiếu tự đánh giá"),
            str(Path.home()),
            window.tr("Bảng tính Excel (*.xlsx *.xlsm)"),
        )
        files = [Path(p) for p in chosen]
    if not files:
        return 0
    options = ImportOptionsDialog(files, window)
    if options.exec() != QDialog.DialogCode.Accepted:
        return 0
    ref = worker.ref_of(window.ws)  # plain data for the worker: no widgets, not the window's Workspace
    sent, appraised, paths = options.sent_date(), options.appraised.isChecked(), list(files)

    def read(ws: Workspace, _progress: Progress) -> excel_import.ImportPlan:
        return excel_import.plan_form_import(ws, paths, sent=sent, appraised=appraised)

    try:
        plan = run_op(window, window.tr("Đang đọc tệp…"), on_own_workspace(ref, read), cancellable=True)
    except OperationCancelled:
        return 0
    except USER_ERRORS as error:
        QMessageBox.warning(window, window.tr("Không đọc được tệp"), str(error))
        return 0
    if ImportPreviewDialog(plan, window).exec() != QDialog.DialogCode.Accepted:
        return 0
    try:
        written = run_op(
            window,
            window.tr("Đang ghi vào tệp dữ liệu…"),
            on_own_workspace(ref, lambda ws, _progress: excel_import.apply_import(ws, plan)),
        )
    except USER_ERRORS as error:
        QMessageBox.warning(window, window.tr("Không nhập được"), str(error))
        return 0
    finally:
        worker.adopt_worker_writes(window.ws)  # the worker wrote (or may have) through its own connection
    window.controller.reload()
    window.statusBar().showMessage(window.tr("Đã nhập {n} thay đổi.").format(n=written), 8000)
    return written


def export_form(window: MainWindow) -> None:
    """The self-assessment form of the selected agency."""
    if window.agency_id is None:
        return
    agency = window.ws.agency(window.agency_id)
    path = ask_save_file(
        window, window.tr("Lưu phiếu tự đánh giá"), excel_import.form_file_name(agency), "Excel (*.xlsx)"
    )
    if path:
        _done(
            window,
            lambda ws: excel_import.write_form(ws, agency.id, Path(path)),
            window.tr("Đã lưu phiếu"),
        )


def export_all_forms(window: MainWindow) -> None:
    folder = QFileDialog.getExistingDirectory(window, window.tr("Chọn thư mục lưu phiếu của mọi đơn vị"))
    if folder:
        _done(
            window,
            lambda ws: excel_import.write_all_forms(ws, Path(folder)),
            window.tr("Đã lưu các phiếu"),
        )


def export_results(window: MainWindow) -> None:
    path = ask_save_file(
        window, window.tr("Xuất kết quả ra Excel"), "ket_qua_tham_dinh.xlsx", "Excel (*.xlsx)"
    )
    if path:
        _done(window, lambda ws: excel_import.write_results(ws, Path(path)), window.tr("Đã xuất kết quả"))


def _done(window: MainWindow, work: Callable[[Workspace], Any], message: str) -> None:
    try:
        result = run_op(
            window,
            window.tr("Đang ghi tệp…"),
            on_own_workspace(worker.ref_of(window.ws), lambda ws, _progress: work(ws)),
            cancellable=True,
        )
    except OperationCancelled:
        return
    except USER_ERRORS as error:
        QMessageBox.warning(window, window.tr("Không ghi được tệp"), str(error))
        return
    where = (
        ", ".join(str(p) for p in result[:3]) + ("…" if len(result) > 3 else "")
        if isinstance(result, list)
        else str(result)
    )
    window.statusBar().showMessage(f"{message}: {where}", 10000)
