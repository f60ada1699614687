"""Opening a file that is not ours, newer, locked or missing: a Vietnamese dialog, nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui import app as gui
from ictappraise.ui.launch import application


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def critical(_parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    application()
    return shown


def test_a_foreign_sqlite_file_is_refused_and_left_alone(errors: list[str], tmp_path: Path) -> None:
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    before = foreign.read_bytes()
    assert gui.open_window(foreign) is None
    assert "chương trình khác" in errors[0]
    assert foreign.read_bytes() == before


def test_a_newer_database_is_refused(errors: list[str], demo_db: Path) -> None:
    with sqlite3.connect(demo_db) as connection:
        connection.execute("PRAGMA user_version=99")
    assert gui.open_window(demo_db) is None
    assert "phiên bản ictappraise mới hơn" in errors[0]


def test_a_database_open_elsewhere_is_refused_and_the_first_stays_usable(
    qtbot, errors: list[str], demo_db: Path
) -> None:
    db = open_database(demo_db)
    ws = Workspace(db)
    ws.actor = lead_actor(ws, "test-device")
    first = gui.build_window(ws)
    qtbot.addWidget(first)
    assert gui.open_window(demo_db, parent_for_errors=first) is None
    assert "đang được mở" in errors[0]
    first.agencies.select(ws.find_agency("HUPQ").id)
    assert first.checklist_model.detail is not None  # the open window still works
    first.close()
    db.close()


def test_text_renamed_as_database_is_refused(errors: list[str], tmp_path: Path) -> None:
    fake = tmp_path / "notes.db"
    fake.write_text("Biên bản họp ngày 09/12/2022", encoding="utf-8")
    assert gui.open_window(fake) is None
    assert "không phải tệp dữ liệu của ictappraise" in errors[0]
    assert fake.read_text(encoding="utf-8") == "Biên bản họp ngày 09/12/2022"


def test_a_damaged_database_offers_its_backups(
    errors: list[str], demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    from ictappraise.store.backup import backup_database

    backup_database(demo_db, "manual")
    with open(demo_db, "r+b") as handle:  # damage the first page: no longer a SQLite header
        handle.write(b"\0" * 100)
    offered: list[list[str]] = []

    def get_item(_parent, _title, _label, items, *args):
        offered.append(list(items))
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    window = gui.open_window(demo_db, actor=None, demo=True)
    assert offered and "Sao lưu thủ công" in offered[0][0]
    assert window is not None  # the restored file opens
    assert len(window.ws.agencies()) == 25
    window.close()
    window.ws.db.close()


def test_unreadable_data_at_opening_offers_the_backups(
    errors: list[str], demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ValueError reading an agency (unreadable data) is a dialog with the backups, not a crash;
    every agency is read before the window is built, so no half-built window is left."""
    from PySide6.QtWidgets import QInputDialog

    from ictappraise.store.backup import backup_database

    backup_database(demo_db, "manual")
    offered: list[tuple[str, list[str]]] = []

    def get_item(_parent, _title, label, items, *args):
        offered.append((label, list(items)))
        return items[0], False  # the user looks, then cancels

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("invalid literal for int() with base 10: 'ba'")

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    monkeypatch.setattr(Workspace, "detail", broken)
    assert gui.open_window(demo_db, actor=None, demo=True) is None
    assert offered, errors
    label, items = offered[0]
    assert "không đọc được" in label and "'ba'" in label
    assert any("Sao lưu thủ công" in item for item in items)
    db = open_database(demo_db)  # the file was closed again: it opens
    db.close()
