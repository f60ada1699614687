"""Fixtures of the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.app import build_window
from ictappraise.ui.launch import application
from ictappraise.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_db: Path) -> Iterator[MainWindow]:
    """The main window on a demo copy at 1366×768, as the lead on the evening of 14/12/2022."""
    application()
    db = open_database(demo_db)
    ws = Workspace(db)
    ws.actor = lead_actor(ws, "test-device")
    win = build_window(ws, today=date(2022, 12, 14))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.close()
    db.close()
