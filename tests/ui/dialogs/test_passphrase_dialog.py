"""The passphrase of this laptop's key in the GUI (docs/rules.md §9): set from the menu, asked
once per session when the key must sign, a Vietnamese message for a wrong one, cancel writes
nothing. Real widgets: the dialogs are filled in and clicked as the user would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit, QMessageBox

from ictappraise.services import trust
from ictappraise.services.errors import ServiceError
from ictappraise.services.identity import actor_for
from ictappraise.services.seed import seed_round
from ictappraise.services.workspace import Workspace
from ictappraise.settings import Identity, load_config, save_config
from ictappraise.store import repository
from ictappraise.store.database import open_database
from ictappraise.ui.app import build_window, open_in_window
from ictappraise.ui.dialogs.passphrase import KeyPassphraseDialog, PassphraseDialog
from ictappraise.ui.launch import application
from ictappraise.ui.main_window import MainWindow

LEAD = "Nguyễn Thị Thắng"


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    """The main window on a round founded with a key of this laptop (not the demo's keys)."""
    application()
    ws = Workspace(open_database(tmp_path / "round.db", create=True, backup=False))
    seed_round(ws)
    ws.actor = actor_for(ws, Identity(LEAD), "laptop")
    win = build_window(ws, today=date(2022, 12, 14))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()
    trust.forget_unlocked()
    ws.db.close()


def _when_shown(kind: type, act: Callable[[object], None]) -> None:
    """Act on the next modal dialog of this kind once it is shown (exec() blocks the test)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            act(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def _press(dialog: object, button: QDialogButtonBox.StandardButton) -> None:
    dialog.findChild(QDialogButtonBox).button(button).click()  # type: ignore[attr-defined]


def _set_passphrase_from_menu(window: MainWindow, secret: str, monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))

    def fill(dialog: object) -> None:
        dialog.new.setText(secret)  # type: ignore[attr-defined]
        dialog.again.setText(secret)  # type: ignore[attr-defined]
        _press(dialog, QDialogButtonBox.StandardButton.Ok)

    _when_shown(KeyPassphraseDialog, fill)
    action = next(a for a in window.round_menu.actions() if "Mật khẩu khó&a ký" in a.text())
    action.trigger()
    assert told == ["Đã lưu mật khẩu của khóa."]


def _new_session(window: MainWindow) -> None:
    trust.forget_unlocked()
    window.ws.actor = actor_for(window.ws, Identity(LEAD), "laptop")


def _count(ws: Workspace) -> int:
    with ws.db.reading() as session:
        return repository.count_edits(session)


def test_set_from_the_menu_then_asked_once_with_a_message_for_a_wrong_one(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_passphrase_from_menu(window, "mật khẩu tổ", monkeypatch)
    assert trust.my_key(window.ws).encrypted  # type: ignore[union-attr]
    _new_session(window)
    seen: list[str] = []

    def wrong(dialog: object) -> None:
        dialog.secret.setText("sai rồi")  # type: ignore[attr-defined]
        _when_shown(PassphraseDialog, right)
        _press(dialog, QDialogButtonBox.StandardButton.Ok)

    def right(dialog: object) -> None:
        problem = dialog.problem  # type: ignore[attr-defined]
        seen.append(problem.text() if problem.isVisible() else "")
        dialog.secret.setText("mật khẩu tổ")  # type: ignore[attr-defined]
        _press(dialog, QDialogButtonBox.StandardButton.Ok)

    _when_shown(PassphraseDialog, wrong)
    window.ws.set("round/name", "Đợt ký bằng khóa có mật khẩu")
    assert seen == [trust.WRONG_PASSPHRASE]
    window.ws.set("round/name", "Lần ghi thứ hai")  # unlocked for this session: no dialog
    assert window.ws.round_info().name == "Lần ghi thứ hai"


def test_cancel_writes_nothing(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    _set_passphrase_from_menu(window, "mật khẩu tổ", monkeypatch)
    _new_session(window)
    before = _count(window.ws)
    _when_shown(PassphraseDialog, lambda d: _press(d, QDialogButtonBox.StandardButton.Cancel))
    with pytest.raises(ServiceError, match="chưa ghi thay đổi nào"):
        window.ws.set("round/name", "Không được ghi")
    assert _count(window.ws) == before


def test_the_set_dialog_refuses_mismatch_and_a_wrong_current_passphrase(
    window: MainWindow,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = trust.my_key(window.ws)
    assert key is not None
    dialog = KeyPassphraseDialog(key.public_key, key.fingerprint, False, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.new.setText("mật khẩu 1")
    dialog.again.setText("mật khẩu 2")
    _press(dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.problem.text() == "Hai lần nhập mật khẩu mới không giống nhau."
    dialog.again.setText("mật khẩu 1")
    _press(dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    again = KeyPassphraseDialog(key.public_key, key.fingerprint, True, window)
    qtbot.addWidget(again)
    again.show()
    assert again.current.isVisible()
    again.current.setText("không đúng")
    again.new.setText("mật khẩu 3")
    again.again.setText("mật khẩu 3")
    _press(again, QDialogButtonBox.StandardButton.Ok)
    assert again.isVisible() and again.problem.text() == trust.WRONG_PASSPHRASE
    assert [w.text() for w in again.findChildren(QLabel) if "Mật khẩu hiện tại" in w.text()]
    assert len(again.findChildren(QLineEdit)) == 3


def test_a_write_in_a_worker_thread_asks_in_the_window(window: MainWindow, qtbot, monkeypatch) -> None:
    """A long task signs in a worker thread: the dialog still opens in the GUI thread and waits."""
    import threading

    _set_passphrase_from_menu(window, "mật khẩu tổ", monkeypatch)
    _new_session(window)
    asked_in: list[bool] = []

    def answer(dialog: object) -> None:
        asked_in.append(QApplication.instance().thread() is dialog.thread())  # type: ignore[attr-defined, union-attr]
        dialog.secret.setText("mật khẩu tổ")  # type: ignore[attr-defined]
        _press(dialog, QDialogButtonBox.StandardButton.Ok)

    _when_shown(PassphraseDialog, answer)
    signer = window.ws.actor.signer  # type: ignore[union-attr]
    unlocked: list[object] = []
    worker = threading.Thread(target=lambda: unlocked.append(signer.unlock()))
    worker.start()
    qtbot.waitUntil(lambda: bool(unlocked), timeout=10000)
    worker.join()
    assert asked_in == [True] and unlocked[0].public_key == signer.public_key  # type: ignore[attr-defined]


def test_the_first_window_of_a_start_asks_too(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A start goes through open_in_window, not build_window: the prompt is there before anything signs."""
    application()
    path = tmp_path / "round.db"
    ws = Workspace(open_database(path, create=True, backup=False))
    seed_round(ws)
    ws.actor = actor_for(ws, Identity(LEAD), "laptop")  # founds the round with a key of this laptop
    key = trust.my_key(ws)
    assert key is not None
    trust.change_passphrase(key.public_key, None, "mật khẩu tổ")
    ws.db.close()
    trust.forget_unlocked()
    trust.set_passphrase_prompt(None)  # a new program: nothing installed yet
    save_config(replace(load_config(), identity=Identity(LEAD)))
    window = MainWindow(path.name)
    qtbot.addWidget(window)
    try:
        assert open_in_window(window, path)
        asked: list[bool] = []

        def answer(dialog: object) -> None:
            asked.append(True)
            dialog.secret.setText("mật khẩu tổ")  # type: ignore[attr-defined]
            _press(dialog, QDialogButtonBox.StandardButton.Ok)

        _when_shown(PassphraseDialog, answer)
        window.ws.set("round/name", "Ghi từ cửa sổ đầu tiên")
        assert asked == [True]
        assert window.ws.round_info().name == "Ghi từ cửa sổ đầu tiên"
    finally:
        window.close()
        trust.forget_unlocked()
