"""The one way to work off the GUI thread (modelled on Anki's operations): plain data in and out.

A ``BackgroundOp`` runs ``work(progress)`` on Qt's thread pool. ``work`` gets plain data only
(paths, ids, values, a services.worker.WorkspaceRef from which it opens its own Workspace),
never a widget, the window's Workspace or its SQLAlchemy session. Its plain result or its
error comes back on the GUI thread by signal; ``progress(done, total, text)`` may be called
from the worker and answers whether to go on (False once the user pressed Cancel).

One op runs at a time: while it runs the window shows it is busy (a window-modal progress
dialog, or the caller's own bar, and a busy cursor) and a second op is refused, so the window
never writes the file while a worker does. ``exec()`` waits for the outcome in a local event
loop, as ``QDialog.exec()`` does, for actions whose callers need the result before going on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressBar, QProgressDialog, QWidget

from ictappraise.services import worker
from ictappraise.services.workspace import Workspace

#: done, total, text → whether to go on (False after Cancel); callable from any thread.
Progress = Callable[[int, int, str], bool]
Work = Callable[[Progress], Any]


def _tr(text: str) -> str:
    return QCoreApplication.translate("operations", text)


class OperationCancelled(Exception):
    """The user pressed Cancel and the caller drops what the work returned."""


class OperationBusy(ValueError):
    """Another operation is still running; the message is for the user."""

    def __init__(self) -> None:
        super().__init__(_tr("Đang có một việc khác chạy; hãy đợi việc đó xong rồi thử lại."))


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits through it, so every slot runs queued there."""

    progressed = Signal(int, int, str)
    done = Signal(object, object)  # result, error


class _Runnable(QRunnable):
    def __init__(self, work: Work, relay: _Relay, stop: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the op keeps it until the outcome is back
        self.work, self.relay, self.stop = work, relay, stop

    def run(self) -> None:
        def progress(done: int, total: int, text: str) -> bool:
            self.relay.progressed.emit(done, total, text)
            return not self.stop.is_set()

        try:
            result = self.work(progress)
        except Exception as error:
            self.relay.done.emit(None, error)
        else:
            self.relay.done.emit(result, None)


_current: BackgroundOp | None = None  # the running op: one at a time, kept alive until done


def busy() -> bool:
    """Whether an operation is running."""
    return _current is not None


class BackgroundOp(QObject):
    """One piece of work off the GUI thread, with its progress, outcome and busy state.

    ``label`` given: a window-modal progress dialog over ``parent`` (with Cancel when
    ``cancellable``), filled to 100 % and closed when the work ends. Without it the caller
    shows progress itself from the ``progressed`` signal.
    """

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(
        self,
        parent: QWidget | None,
        work: Work,
        *,
        label: str = "",
        title: str = "",
        cancellable: bool = False,
    ) -> None:
        super().__init__()
        self.parent_widget = parent
        self.work = work
        self.label = label
        self.title = title or label
        self.cancellable = cancellable
        self.dialog: QProgressDialog | None = None
        self.bar: QProgressBar | None = None  # the dialog's bar, set directly (see _progress_dialog)
        self.result: Any = None
        self.error: Exception | None = None
        self.done = False
        self._stop = threading.Event()
        self._relay = _Relay()
        self._relay.progressed.connect(self._on_progress)
        self._relay.done.connect(self._on_done)
        self._runnable: _Runnable | None = None

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()

    def cancel(self) -> None:
        """Ask the work to stop at its next progress call (a running step is not interrupted)."""
        if self.done:
            return
        self._stop.set()
        if self.dialog is not None:
            self.dialog.setLabelText(_tr("Đang dừng…"))

    def start(self) -> bool:
        """Run in the background; False (and ``failed`` with OperationBusy) if another op runs."""
        global _current
        if _current is not None:
            self.error, self.done = OperationBusy(), True
            self.failed.emit(self.error)
            self.finished.emit()
            return False
        _current = self
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        if self.label:
            self.dialog = self._progress_dialog()
        self._runnable = _Runnable(self.work, self._relay, self._stop)
        QThreadPool.globalInstance().start(self._runnable)
        return True

    def exec(self) -> Any:
        """Start, wait for the outcome (the GUI keeps running), return the result or raise the error."""
        if self.start():
            loop = QEventLoop()
            self.finished.connect(loop.quit)
            if not self.done:  # the outcome arrives through this loop, never before it runs
                loop.exec()
        if self.error is not None:
            raise self.error
        return self.result

    def _progress_dialog(self) -> QProgressDialog:
        cancel_text = _tr("Hủy") if self.cancellable else ""
        dialog = QProgressDialog(self.label, cancel_text, 0, 0, self.parent_widget)
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)  # the window is busy meanwhile
        dialog.setMinimumDuration(0)
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        # Progress goes to the bar itself: QProgressDialog.setValue() of a modal dialog calls
        # processEvents(), which would run the next queued progress or the outcome inside it.
        self.bar = QProgressBar(dialog)
        self.bar.setRange(0, 0)  # busy until the work says how far it is
        dialog.setBar(self.bar)
        if self.cancellable:
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.show()
        return dialog

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None and self.bar is not None and not self.cancelled:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(min(done, max(total, 1)))
            if text:
                self.dialog.setLabelText(text)
        self.progressed.emit(done, total, text)

    @Slot(object, object)
    def _on_done(self, result: Any, error: Exception | None) -> None:
        global _current
        _current = None
        self.result, self.error, self.done = result, error, True
        self._runnable = None
        QApplication.restoreOverrideCursor()
        if self.dialog is not None and self.bar is not None:
            self.bar.setRange(0, max(self.bar.maximum(), 1))
            self.bar.setValue(self.bar.maximum())  # the work is over: a full bar, then gone
            # hide(), not close(): closing a QProgressDialog cancels and so empties its bar.
            self.dialog.hide()
            self.dialog.setParent(None)  # goes with this op, not kept by the window
        if error is not None:
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        self.finished.emit()


def run_op(parent: QWidget | None, label: str, work: Work, *, cancellable: bool = False) -> Any:
    """Run ``work`` behind a progress dialog; its result, its error, or OperationCancelled."""
    op = BackgroundOp(parent, work, label=label, cancellable=cancellable)
    result = op.exec()
    if op.cancelled:
        raise OperationCancelled
    return result


def on_own_workspace(ref: worker.WorkspaceRef, work: Callable[[Workspace, Progress], Any]) -> Work:
    """Work that opens a Workspace of its own from the plain reference, never the window's."""

    def run(progress: Progress) -> Any:
        with worker.opened(ref) as ws:
            return work(ws, progress)

    return run
