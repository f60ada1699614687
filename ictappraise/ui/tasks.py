"""Long work off the GUI thread, with a progress dialog (the one helper every screen uses).

The worker gets plain data and a service function, never widgets. The dialog is modal, so
nothing else writes the database meanwhile; Cancel abandons the result of read-only work
(a plan, an export) — writes are single transactions that either finish or never happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class _Worker(QObject):
    finished = Signal(object, object)  # result, error

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work

    def run(self) -> None:
        try:
            self.finished.emit(self.work(), None)
        except Exception as error:  # handed back to the GUI thread to show
            self.finished.emit(None, error)


class TaskCancelled(Exception):
    """The user pressed Cancel."""


def run_task(parent: QWidget | None, label: str, work: Callable[[], Any], *, cancellable: bool = True) -> Any:
    """Run ``work()`` in a thread behind a busy dialog; return its result or raise its error."""
    dialog = QProgressDialog(label, parent.tr("Hủy") if (parent and cancellable) else "", 0, 0, parent)
    # Window-modal and shown at once: nothing may write the Workspace while the worker reads it.
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setWindowTitle(label)
    if not cancellable:
        dialog.setCancelButton(None)
    thread = QThread()
    worker = _Worker(work)
    worker.moveToThread(thread)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def record(result: Any, error: Any) -> None:
        outcome.update(result=result, error=error)

    # PySide calls a plain function in the thread that emits, so record() runs in the worker;
    # quitting must not: a quit before loop.exec() starts is lost and the dialog stays for
    # ever. loop.quit is a slot of an object of this thread, so Qt queues it into the loop.
    worker.finished.connect(record)
    worker.finished.connect(loop.quit)
    thread.started.connect(worker.run)

    def cancel() -> None:
        # The running step (reading a workbook) cannot be interrupted: wait for it, then drop it.
        dialog.setLabelText(QCoreApplication.translate("tasks", "Đang dừng…"))
        loop.quit()

    dialog.canceled.connect(cancel)
    thread.start()
    loop.exec()
    cancelled = "result" not in outcome
    thread.quit()
    thread.wait()
    dialog.close()
    if cancelled:
        raise TaskCancelled
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]
