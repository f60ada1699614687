"""The main window opens a database that already holds a looping edit graph.

It used to stay on "Đang mở tệp dữ liệu…" behind an IndexError. Now it says what is wrong,
offers the backup taken before the merge that brought the loop, and opens either way.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ictappraise.services.graph_health import find_damage
from ictappraise.store import backup
from ictappraise.ui import app as gui
from ictappraise.ui.launch import application
from tests.services.test_graph_damage import break_graph


@dataclass
class Dialogs:
    """Warning dialogs shown (title: text) and the answers to give them, in order."""

    shown: list[str] = field(default_factory=list)
    answers: list[QMessageBox.StandardButton] = field(default_factory=list)


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    found = Dialogs()

    def warning(_parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        found.shown.append(f"{title}: {text}")
        return found.answers.pop(0) if found.answers else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", warning)
    monkeypatch.setattr(QMessageBox, "critical", warning)
    application()
    return found


def test_the_window_opens_and_names_the_damage(qtbot, dialogs: Dialogs, demo_db: Path) -> None:
    taken = backup.backup_database(demo_db, backup.REASON_MERGE)
    assert taken is not None
    break_graph(demo_db)
    dialogs.answers.append(QMessageBox.StandardButton.No)
    window = gui.open_window(demo_db, actor=None, demo=True)
    assert window is not None
    qtbot.addWidget(window)
    text = dialogs.shown[0]
    assert "Tệp dữ liệu có lỗi" in text and "vòng lặp" in text and taken.path.name in text
    assert len(window.ws.agencies()) == 25
    window.agencies.select(window.ws.find_agency("HUPQ").id)
    assert window.checklist_model.detail is not None  # the damaged agency shows
    assert find_damage(window.ws) is not None  # nothing was restored
    window.close()
    window.ws.db.close()


def test_the_offered_backup_is_restored(qtbot, dialogs: Dialogs, demo_db: Path) -> None:
    backup.backup_database(demo_db, backup.REASON_MERGE)
    break_graph(demo_db)
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    window = gui.open_window(demo_db, actor=None, demo=True)
    assert window is not None
    qtbot.addWidget(window)
    assert len(dialogs.shown) == 1  # asked once; the restored file is sound
    assert find_damage(window.ws) is None
    window.close()
    window.ws.db.close()
    with sqlite3.connect(demo_db) as connection:
        assert connection.execute("SELECT count(*) FROM edits WHERE id LIKE 'loop-%'").fetchone()[0] == 0


def _headless_catalog(path: Path) -> None:
    """Two versions of a catalog that name each other (and the seed) as parent: no catalog at all."""
    with sqlite3.connect(path) as connection:
        field_name = "catalog/2"
        value, heads = connection.execute(
            "SELECT value, json_group_array(id) FROM edits WHERE field = ?", (field_name,)
        ).fetchone()
        seeds = json.loads(heads)
        for me, other in (("loop-1", "loop-2"), ("loop-2", "loop-1")):
            connection.execute(
                "INSERT INTO edits (id, scope, field, value, author, device, created_at, parents, basis) "
                "VALUES (?, 'round', ?, ?, 'x', 'd', '2022-12-09T08:00:00+07:00', ?, '[]')",
                (me, field_name, value, json.dumps([other, *seeds])),
            )


def test_a_loop_that_hides_a_catalog_still_offers_the_backup(qtbot, dialogs: Dialogs, demo_db: Path) -> None:
    backup.backup_database(demo_db, backup.REASON_MERGE)
    _headless_catalog(demo_db)
    dialogs.answers.append(QMessageBox.StandardButton.Yes)
    window = gui.open_window(demo_db, actor=None, demo=True)
    assert window is not None
    qtbot.addWidget(window)
    assert "vòng lặp" in dialogs.shown[0] and "Bộ tiêu chí Phụ lục 2" in dialogs.shown[0], dialogs.shown
    assert find_damage(window.ws) is None and len(window.ws.agencies()) == 25
    window.close()
    window.ws.db.close()
