"""run_task: work off the GUI thread behind a modal dialog, its result or its error handed back."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from ictappraise.ui import tasks
from ictappraise.ui.tasks import run_task


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_result_and_the_error_come_back(parent: QWidget) -> None:
    assert run_task(parent, "Đang tính…", lambda: 6 * 7) == 42
    with pytest.raises(ValueError, match="không đọc được"):
        run_task(parent, "Đang đọc…", lambda: (_ for _ in ()).throw(ValueError("không đọc được")))


class _LateLoop(QEventLoop):
    """Starts waiting only after the worker has long finished (a busy or slow GUI thread)."""

    def exec(self) -> int:  # type: ignore[override]
        time.sleep(0.3)
        QTimer.singleShot(3000, self.quit)  # the safety net: without it a lost quit hangs for ever
        return super().exec()


def test_work_that_ends_before_the_wait_begins_does_not_hang(
    parent: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's "finished" reaches the GUI thread as a queued quit, never lost."""
    monkeypatch.setattr(tasks, "QEventLoop", _LateLoop)
    started = time.perf_counter()
    assert run_task(parent, "Đang tính…", lambda: "xong") == "xong"
    assert time.perf_counter() - started < 2.0
