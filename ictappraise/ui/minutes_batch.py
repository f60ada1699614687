"""Minutes of many agencies at once (a visit day, or all): laid out on a worker thread from
plain data (MinutesDoc), never widgets, behind a progress dialog that can stop between files."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from ictappraise.services import minutes
from ictappraise.services.errors import USER_ERRORS
from ictappraise.services.model import Agency
from ictappraise.services.workspace import Workspace


@dataclass
class BatchOutcome:
    """What a batch wrote, what it skipped and whether the user cancelled."""

    written: list[Path] = field(default_factory=list)
    skipped: list[minutes.Skipped] = field(default_factory=list)
    cancelled: bool = False
    error: str = ""


def _tr(text: str) -> str:
    return QCoreApplication.translate("MinutesBatch", text)


class _BatchWorker(QObject):
    """Lays out and writes the prepared minutes on its own thread (plain data only)."""

    progressed = Signal(int, str)
    finished = Signal(object, str)  # written paths, error text

    def __init__(self, jobs: Sequence[minutes.BatchJob], stop: threading.Event) -> None:
        super().__init__()
        self.jobs = list(jobs)
        self.stop = stop

    @Slot()
    def run(self) -> None:
        def progress(done: int, _total: int, name: str) -> bool:
            self.progressed.emit(done, name)
            return not self.stop.is_set()

        try:
            self.finished.emit(minutes.render_batch(self.jobs, progress), "")
        except USER_ERRORS as error:
            self.finished.emit([], str(error))


class _BatchReceiver(QObject):
    """Lives on the GUI thread, so the worker's signals reach the dialog queued, never direct."""

    def __init__(self, dialog: QProgressDialog, loop: QEventLoop, stop: threading.Event) -> None:
        super().__init__()
        self.dialog = dialog
        self.loop = loop
        self.stop = stop
        self.written: list[Path] = []
        self.error = ""

    @Slot(int, str)
    def progressed(self, done: int, name: str) -> None:
        if self.dialog.wasCanceled():  # cancel() called directly does not emit canceled
            self.stop.set()
            return
        self.dialog.setValue(done)
        if name:
            self.dialog.setLabelText(_tr("Đang lập biên bản: {name}").format(name=name))

    @Slot(object, str)
    def finished(self, written: list[Path], error: str) -> None:
        self.written, self.error = list(written), error
        self.loop.quit()


def write_minutes_batch(
    parent: QWidget | None, ws: Workspace, agencies: Sequence[Agency], out_dir: Path
) -> BatchOutcome:
    """Write the minutes of several agencies with a progress dialog whose Cancel stops the batch."""
    outcome = BatchOutcome()
    try:
        jobs, outcome.skipped = minutes.prepare_batch(ws, agencies, out_dir)
    except USER_ERRORS as error:
        outcome.error = str(error)
        return outcome
    dialog = QProgressDialog(_tr("Đang lập biên bản…"), _tr("Hủy"), 0, max(len(jobs), 1), parent)
    dialog.setWindowTitle(_tr("Lập biên bản thẩm định"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoReset(False)
    stop = threading.Event()
    loop = QEventLoop()
    receiver = _BatchReceiver(dialog, loop, stop)
    thread = QThread()
    worker = _BatchWorker(jobs, stop)
    worker.moveToThread(thread)
    worker.progressed.connect(receiver.progressed)
    worker.finished.connect(receiver.finished)
    dialog.canceled.connect(stop.set)  # the worker stops between two files, never mid-file
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    dialog.close()
    outcome.written, outcome.error = receiver.written, receiver.error
    outcome.cancelled = stop.is_set() and len(outcome.written) < len(jobs)
    return outcome


def run_minutes_batch(
    parent: QWidget | None, ws: Workspace, *, day: date | None = None, out_dir: Path | None = None
) -> BatchOutcome | None:
    """Menu action: minutes of one day (or of every agency) into a folder, then a summary."""
    try:
        agencies = minutes.agencies_on(ws, day) if day else ws.agencies()
    except USER_ERRORS as error:
        QMessageBox.warning(parent, _tr("Không thực hiện được"), str(error))
        return None
    if out_dir is None:
        chosen = QFileDialog.getExistingDirectory(parent, _tr("Chọn thư mục lưu biên bản"))
        if not chosen:
            return None
        out_dir = Path(chosen)
    outcome = write_minutes_batch(parent, ws, agencies, out_dir)
    QMessageBox.information(parent, _tr("Lập biên bản thẩm định"), batch_summary(outcome, out_dir))
    return outcome


def batch_summary(outcome: BatchOutcome, out_dir: Path) -> str:
    """What the batch did, in Vietnamese, for the closing message."""
    lines = [_tr("Đã ghi {n} biên bản vào {folder}.").format(n=len(outcome.written), folder=out_dir)]
    if outcome.cancelled:
        lines.append(_tr("Đã dừng theo yêu cầu; các biên bản còn lại chưa được ghi."))
    if outcome.error:
        lines.append(outcome.error)
    lines += [_tr("Bỏ qua {name}: {why}").format(name=s.agency.name, why=s.reason) for s in outcome.skipped]
    return "\n".join(lines)
