"""BackgroundOp: work off the GUI thread, plain data in and out, one at a time, progress to 100 %."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from ictappraise.services.errors import ServiceError
from ictappraise.ui import operations
from ictappraise.ui.operations import BackgroundOp, OperationBusy, OperationCancelled, Progress, run_op


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_result_comes_back_on_the_gui_thread_from_a_worker(qtbot: QtBot, parent: QWidget) -> None:
    threads: list[threading.Thread] = []

    def work(_progress: Progress) -> int:
        threads.append(threading.current_thread())
        return 6 * 7

    op = BackgroundOp(parent, work, label="Đang tính…")
    with qtbot.waitSignal(op.succeeded) as blocker:
        assert op.start()
        assert operations.busy() and not op.done
    assert blocker.args == [42] and op.result == 42
    assert threads and threads[0] is not threading.main_thread()
    assert not operations.busy()


def test_an_error_comes_back_with_its_vietnamese_message(qtbot: QtBot, parent: QWidget) -> None:
    def work(_progress: Progress) -> None:
        raise ServiceError("Không đọc được tệp phiếu.")

    op = BackgroundOp(parent, work, label="Đang đọc…")
    with qtbot.waitSignal(op.failed) as blocker:
        op.start()
    assert str(blocker.args[0]) == "Không đọc được tệp phiếu."
    with pytest.raises(ServiceError, match="Không đọc được tệp phiếu"):
        run_op(parent, "Đang đọc…", work)
    assert not operations.busy() and not op.dialog.isVisible()


def test_progress_reaches_the_bar_then_it_fills_and_closes(qtbot: QtBot, parent: QWidget) -> None:
    seen: list[tuple[int, int, str]] = []
    shown: list[bool] = []

    def work(progress: Progress) -> str:
        for step in range(3):  # the last step begun is 3 of 4: the end is never reported
            progress(step, 4, f"Bước {step + 1}")
        return "xong"

    op = BackgroundOp(parent, work, label="Đang làm…")
    op.progressed.connect(lambda *args: (seen.append(args), shown.append(op.dialog.isVisible())))
    assert op.exec() == "xong"
    assert seen == [(0, 4, "Bước 1"), (1, 4, "Bước 2"), (2, 4, "Bước 3")] and all(shown)
    assert op.dialog.windowModality() == Qt.WindowModality.WindowModal  # the window waits meanwhile
    assert op.bar.maximum() == 4 and op.bar.value() == 4  # full, not left at 2 of 4
    assert not op.dialog.isVisible()


def test_no_second_operation_while_one_runs(qtbot: QtBot, parent: QWidget) -> None:
    release = threading.Event()
    first = BackgroundOp(parent, lambda _progress: release.wait(10) and "thứ nhất", label="Đang làm…")
    assert first.start()
    second = BackgroundOp(parent, lambda _progress: "thứ hai", label="Đang làm…")
    refused: list[Exception] = []
    second.failed.connect(refused.append)
    assert not second.start()
    assert isinstance(refused[0], OperationBusy) and "hãy đợi việc đó xong" in str(refused[0])
    with pytest.raises(OperationBusy):
        second.exec()
    release.set()
    qtbot.waitUntil(lambda: first.done)
    assert first.result == "thứ nhất" and not operations.busy()
    assert run_op(parent, "Đang làm…", lambda _progress: "thứ hai") == "thứ hai"  # free again


def test_cancel_stops_the_work_at_its_next_step(qtbot: QtBot, parent: QWidget) -> None:
    steps: list[int] = []

    def work(progress: Progress) -> list[int]:
        for step in range(200):
            if not progress(step, 200, ""):
                break
            steps.append(step)
            time.sleep(0.01)
        return steps

    def press_cancel() -> None:
        dialog = parent.findChild(QProgressDialog)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, press_cancel)
            return
        qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)

    QTimer.singleShot(50, press_cancel)
    with pytest.raises(OperationCancelled):
        run_op(parent, "Đang làm…", work, cancellable=True)
    assert 0 < len(steps) < 200
    assert not operations.busy()


class _LateLoop(QEventLoop):
    """Starts waiting only after the worker has long finished (a busy or slow GUI thread)."""

    def exec(self) -> int:  # type: ignore[override]
        time.sleep(0.3)
        QTimer.singleShot(3000, self.quit)  # the safety net: without it a lost quit hangs for ever
        return super().exec()


def test_work_that_ends_before_the_wait_begins_does_not_hang(
    parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outcome reaches the GUI thread queued, through the loop that waits for it, never lost."""
    monkeypatch.setattr(operations, "QEventLoop", _LateLoop)
    started = time.perf_counter()
    assert run_op(parent, "Đang tính…", lambda _progress: "xong") == "xong"
    assert time.perf_counter() - started < 2.0


# -- call sites ------------------------------------------------------------------------------


def test_the_results_report_is_written_by_a_worker(window, tmp_path, monkeypatch) -> None:
    from ictappraise.services import results_report
    from ictappraise.ui import actions
    from ictappraise.ui.dialogs import common

    threads: list[threading.Thread] = []
    original = results_report.write_report

    def write_report(ws, out, day=None):
        threads.append(threading.current_thread())
        assert ws is not window.ws  # its own Workspace, opened from the plain reference
        return original(ws, out, day)

    monkeypatch.setattr(results_report, "write_report", write_report)
    out = tmp_path / "bao_cao.pdf"
    monkeypatch.setattr(common, "ask_save_file", lambda *_args: out)
    actions.results_report(window)
    assert out.read_bytes().startswith(b"%PDF")
    assert threads and threads[0] is not threading.main_thread()
    assert str(out) in window.statusBar().currentMessage() and not operations.busy()


def test_a_refused_minutes_batch_says_why_in_vietnamese(window, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ictappraise.ui.minutes_batch import run_minutes_batch

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: said.append(text))
    missing = tmp_path / "chưa tạo"
    outcome = run_minutes_batch(window, window.ws, out_dir=missing)
    assert outcome is not None and outcome.written == [] and not outcome.cancelled
    assert said == [f"Đã ghi 0 biên bản vào {missing}.\nKhông có thư mục {missing}."]
    assert not operations.busy()


def test_the_window_stays_open_while_a_worker_writes_its_file(qtbot: QtBot, window) -> None:
    """Closing the window would close the file under the worker: refused until the work ends."""
    release = threading.Event()
    op = BackgroundOp(window, lambda _progress: release.wait(10))
    op.start()
    try:
        assert operations.busy()
        window.close()
        assert window.isVisible() and not window.ws.db.closed
        assert "Đang có một việc chạy" in window.statusBar().currentMessage()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not operations.busy())
    window.close()
    assert not window.isVisible() and window.ws.db.closed


def test_the_merge_dialog_stays_while_it_merges(qtbot: QtBot, window) -> None:
    from ictappraise.ui.merge_dialog import MergeDialog

    dialog = MergeDialog(window.ws, window)
    qtbot.addWidget(dialog)
    dialog.show()
    release = threading.Event()
    op = BackgroundOp(dialog, lambda _progress: release.wait(10))
    op.start()
    try:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
    finally:
        release.set()
        qtbot.waitUntil(lambda: not operations.busy())
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
