"""File → Tổng hợp dữ liệu (the merge dialog) and File → Gửi dữ liệu cho Tổ trưởng.

Thin widgets over ictappraise.services.merge. Checking and merging packages run as background
operations (ui/operations.py) on a Workspace the worker opens itself from the file; the
dialog's bar shows their progress, and the window reads the file again after a merge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStringListModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ictappraise.domain.roles import ROLE_LEAD
from ictappraise.services import merge, worker
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.workspace import Workspace
from ictappraise.ui import operations
from ictappraise.ui.dialogs.common import ask_save_file
from ictappraise.ui.operations import BackgroundOp, Progress, on_own_workspace, run_op


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
        closing = self.closing = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
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
        chosen = list(paths)
        try:
            self.plan = self._run(lambda ws, progress: merge.plan_merge(ws, chosen, progress))
        except USER_ERRORS as error:
            self.progress.reset()
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
        plan = self.plan
        try:
            self.summary = self._run(lambda ws, progress: merge.apply_merge(ws, plan, progress))
        except USER_ERRORS as error:
            self.progress.reset()
            return self.show_error(str(error))
        finally:
            worker.adopt_worker_writes(self.ws)  # the worker wrote (or may have) through its own connection
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

    def reject(self) -> None:
        """Esc or the title bar's close: not while a check or a merge runs on a worker."""
        if operations.busy():
            return
        super().reject()

    def _run(self, work: Callable[[Workspace, Callable[[int, int, str], None]], Any]) -> Any:
        """Run the check or the merge off the GUI thread on a Workspace of its own; the bar
        follows it and the buttons wait (the dialog is modal: the window waits too)."""

        def run(ws: Workspace, progress: Progress) -> Any:
            def report(done: int, total: int, text: str) -> None:  # a merge has no Cancel
                progress(done, total, text)

            return work(ws, report)

        op = BackgroundOp(self, on_own_workspace(worker.ref_of(self.ws), run))
        op.progressed.connect(self._progress)
        buttons: tuple[QWidget, ...] = (
            self.choose_button,
            self.merge_button,
            self.conflicts_button,
            self.closing,
        )
        enabled = [button.isEnabled() for button in buttons]
        for button in buttons:
            button.setEnabled(False)
        try:
            return op.exec()
        finally:
            for button, was in zip(buttons, enabled, strict=True):
                button.setEnabled(was)

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.progress.setFormat(text)

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
    target = path
    work = on_own_workspace(worker.ref_of(ws), lambda own, _progress: merge.export_package(own, target))
    try:
        result: merge.ExportResult = run_op(parent, parent.tr("Đang tạo gói dữ liệu…"), work)
    except USER_ERRORS as error:
        QMessageBox.warning(parent, parent.tr("Không tạo được gói dữ liệu"), str(error))
        return None
    finally:
        worker.adopt_worker_writes(ws, ())  # it records the export (local keys): no scope changed
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
