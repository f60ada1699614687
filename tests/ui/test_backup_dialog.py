"""Backups from the GUI: list, back up now, restore the chosen one and reopen."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from ictappraise.store.backup import list_backups
from ictappraise.ui.backup_dialog import BackupDialog, restore_into
from ictappraise.ui.checklist_model import COL_INPUT, COL_POINTS
from tests.ui.test_main_window import select  # the window fixture is in tests/ui/conftest.py


def test_restore_brings_back_the_state_of_the_backup(window, monkeypatch, qtbot) -> None:
    select(window, "HUPQ")
    dialog = BackupDialog(window)
    before = dialog.model.rowCount()
    dialog.backup_now()
    assert dialog.model.rowCount() == before + 1
    newest = list_backups(window.ws.db.path)[0]
    assert newest.reason == "manual"
    model = window.checklist_model
    assert model.setData(model.index_of_code("II.6", COL_INPUT), "9")
    assert model.index_of_code("II.6", COL_POINTS).data() == "9"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.view.selectRow(0)
    dialog.choose_restore()
    assert dialog.restore_choice == newest
    reopened = restore_into(window, newest)
    assert reopened is not None
    qtbot.addWidget(reopened)
    select(reopened, "HUPQ")
    assert reopened.checklist_model.index_of_code("II.6", COL_POINTS).data() == "chưa chấm"
    safety = [b for b in list_backups(reopened.ws.db.path) if b.reason == "restore"]
    assert len(safety) == 1  # the replaced file was kept
    reopened.close()
    reopened.ws.db.close()
