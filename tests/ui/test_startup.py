"""Start-up: the frame paints before the store is loaded, then the file opens in the same window."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from ictappraise.ui import app as gui
from ictappraise.ui.launch import run_gui
from tests.support import member_ws


def _fresh_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **env},
    )


def test_the_frame_paints_without_the_store_or_the_rules() -> None:
    """The first frame needs PySide6 only: SQLAlchemy, YAML and our services load after it."""
    result = _fresh_python(
        """
        import sys
        from ictappraise.cli import main  # the console script's own entry
        from ictappraise.ui.launch import application
        from ictappraise.ui.main_window import MainWindow
        app = application(translated=False)
        window = MainWindow("dot-2022.db")
        window.show()
        app.processEvents()
        heavy = [m for m in ("sqlalchemy", "yaml", "openpyxl", "reportlab") if m in sys.modules]
        ours = sorted(m for m in sys.modules if m.startswith("ictappraise.")
                      and m.split(".")[1] in ("services", "store", "domain", "io"))
        print("HEAVY", heavy, ours)
        print("TITLE", window.windowTitle())
        print("MENUS", window.menuBar().isEnabled(), [a.text() for a in window.menuBar().actions()])
        """
    )
    assert result.returncode == 0, result.stderr
    assert "HEAVY [] []" in result.stdout
    assert "TITLE Thẩm định ứng dụng CNTT — dot-2022.db" in result.stdout
    # The whole menu bar is there (no jump when the data arrives), but idle until then.
    assert "MENUS False ['&Tệp', '&Sửa', 'Đợt đá&nh giá', 'Trợ &giúp']" in result.stdout


def test_the_command_paints_the_frame_then_the_opened_demo(demo_template: Path, tmp_path: Path) -> None:
    """`ictappraise --demo` as a user starts it: the frame first, then the data, exit status 0."""
    data = tmp_path / "data"
    gui.demo_template(data).parent.mkdir(parents=True)
    shutil.copyfile(demo_template, gui.demo_template(data))  # skip the build
    result = subprocess.run(
        [sys.executable, "-m", "ictappraise", "--demo"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "ICTAPPRAISE_DATA_DIR": str(data),
            "ICTAPPRAISE_CONFIG_DIR": str(tmp_path / "config"),
            "ICTAPPRAISE_STARTUP_TRACE": "1",
            "ICTAPPRAISE_QUIT_AFTER_PAINT": "1",
        },
    )
    assert result.returncode == 0, result.stderr
    stages = [
        line.split()[1] for line in result.stdout.splitlines() if line.startswith("ictappraise-startup")
    ]
    assert stages == ["first-paint", "ready"]
    assert (data / "demo" / "ictappraise-demo.db").exists()


def test_a_file_that_cannot_be_opened_closes_the_frame_with_status_1(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame is already on screen: the dialog is shown over it, then the program ends with 1."""
    foreign = tmp_path / "notes.db"
    foreign.write_bytes(b"not a database at all" * 100)
    shown: list[str] = []

    def critical(_parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert run_gui(db=foreign) == 1
    assert shown and "notes.db" in shown[0]
    assert foreign.read_bytes() == b"not a database at all" * 100


def test_reopening_a_file_shows_the_agency_last_worked_on(qtbot, demo_db: Path) -> None:
    ws = member_ws(demo_db, "Nguyễn Thị Thắng")
    window = gui.build_window(ws)
    qtbot.addWidget(window)
    first_shown = window.agency_id
    hupq = ws.find_agency("HUPQ").id
    assert first_shown != hupq
    window.agencies.select(hupq)
    window.close()  # remembers the window, the panels and the agency
    ws.db.close()

    again = member_ws(demo_db, "Nguyễn Thị Thắng")
    reopened = gui.build_window(again)
    qtbot.addWidget(reopened)
    assert reopened.agency_id == hupq
    assert reopened.agencies.current_id() == hupq
    reopened.close()
    again.db.close()


def test_undo_and_redo_head_the_edit_menu_once_attached(qtbot, lead_ws) -> None:
    window = gui.build_window(lead_ws)
    qtbot.addWidget(window)
    assert window.menuBar().isEnabled()
    entries = window.edit_menu.actions()
    assert entries[0] is window.undo_action and entries[1] is window.redo_action
    assert entries[2].isSeparator()
    assert entries[3].shortcut().toString() == "F2"
    window.close()


def test_closing_a_window_releases_its_file(qtbot, demo_db: Path, tmp_path: Path) -> None:
    """File → Open another file closes this window: its file can be opened again at once."""
    from ictappraise.domain.roles import ROLE_LEAD
    from ictappraise.settings import Identity, load_config, save_config
    from ictappraise.ui.actions import switch_database

    config = load_config()  # this laptop's user, as after the first start
    config.identity = Identity("Nguyễn Thị Thắng", role=ROLE_LEAD)
    save_config(config)
    other = tmp_path / "other.db"
    shutil.copyfile(demo_db, other)
    first = gui.build_window(member_ws(demo_db, "Nguyễn Thị Thắng"))
    qtbot.addWidget(first)
    second = switch_database(first, other)
    assert second is not None and second.ws.db.path == other.resolve()
    qtbot.addWidget(second)
    assert first.ws.db.closed and not first.isVisible()
    again = gui.open_window(demo_db, actor=first.ws.actor)  # refused while the lock was held
    assert again is not None
    qtbot.addWidget(again)
    second.close()
    again.close()


def test_one_recent_file_is_listed_as_one_entry(tmp_path: Path) -> None:
    """Read back in a new process, QSettings turns a one-item list into a string; the menu
    once listed its characters ("/", "t", "m"…) as files to open."""
    config = {"ICTAPPRAISE_CONFIG_DIR": str(tmp_path / "config")}
    remembered = tmp_path / "Dữ liệu 2022.db"
    setup = "from ictappraise.ui.launch import application; app = application(translated=False)\n"
    first = _fresh_python(
        setup + f"from ictappraise.ui.recent import remember_recent; remember_recent({str(remembered)!r})",
        **config,
    )
    assert first.returncode == 0, first.stderr
    second = _fresh_python(
        setup + "from ictappraise.ui.recent import recent_paths; print(recent_paths())", **config
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == repr([str(remembered)])


def test_an_unexpected_error_while_opening_is_shown_and_ends_the_program(
    qtbot, demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug while opening is shown and logged, and the frame does not stay on screen for good."""
    shown: list[str] = []

    def critical(_parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    def broken(*_args: object, **_kwargs: object) -> bool:
        raise RuntimeError("lỗi thử")

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own; put it back
    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(gui, "open_in_window", broken)
    assert run_gui(db=demo_db) == 1
    assert shown and "Lỗi không mong muốn" in shown[0] and "lỗi thử" in shown[0]


def test_a_window_never_painted_still_opens_its_file(qtbot) -> None:
    """Started minimised, the frame gets no paint: opening starts after a short wait anyway."""
    from PySide6.QtWidgets import QWidget

    from ictappraise.ui.launch import AfterPaint

    calls: list[str] = []
    hidden = QWidget()
    qtbot.addWidget(hidden)
    AfterPaint(hidden, lambda: calls.append("opened"))
    qtbot.waitUntil(lambda: calls == ["opened"], timeout=3000)
    qtbot.wait(AfterPaint.FALLBACK_MS + 100)
    assert calls == ["opened"]  # once, not once more when a paint or the timer comes later


def test_closing_the_window_saves_the_field_being_typed_before_the_file_closes(qtbot, fresh_lead_ws) -> None:
    ws = fresh_lead_ws
    path = ws.db.path
    window = gui.build_window(ws)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    hupq = ws.find_agency("HUPQ").id
    window.agencies.select(hupq)
    window.tabs.setCurrentWidget(window.visit_panel)
    place = window.visit_panel.place_edit
    window.raise_()
    window.activateWindow()  # other tests' windows may still be around: make this one active
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    place.setFocus()
    qtbot.waitUntil(place.hasFocus)
    place.selectAll()
    qtbot.keyClicks(place, "Hoi truong B")  # QTest types ASCII only
    assert place.hasFocus()  # the edit is still in the line, not yet saved
    window.close()
    assert ws.db.closed
    again = member_ws(path, "Nguyễn Thị Thắng")
    try:
        assert again.state(hupq).value(f"agency/{hupq}/visit/place") == "Hoi truong B"
    finally:
        again.db.close()


def test_a_closed_file_refuses_writes_instead_of_reopening_without_its_lock(fresh_lead_ws) -> None:
    from ictappraise.store.errors import StoreError

    fresh_lead_ws.db.close()
    with pytest.raises(StoreError, match="đã được đóng"):
        fresh_lead_ws.set("round/portal_quota", 5)


def test_the_frame_refuses_dropped_files_until_its_file_is_open(qtbot, lead_ws, tmp_path: Path) -> None:
    """A form dropped in the moment before the file is open would have nowhere to go."""
    from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent

    from ictappraise.ui.main_window import MainWindow

    def drag_accepted(window: MainWindow) -> bool:
        data = QMimeData()
        data.setUrls([QUrl.fromLocalFile(str(tmp_path / "phieu.xlsx"))])
        event = QDragEnterEvent(
            QPoint(10, 10),
            Qt.DropAction.CopyAction,
            data,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        event.setAccepted(False)
        window.dragEnterEvent(event)
        return event.isAccepted()

    frame = MainWindow("demo.db")
    qtbot.addWidget(frame)
    assert not drag_accepted(frame)
    opened = gui.build_window(lead_ws)
    qtbot.addWidget(opened)
    assert drag_accepted(opened)
    opened.close()
