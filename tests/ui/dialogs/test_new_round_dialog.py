"""A new round from the dialog: the file is created with the next year's settings."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox

from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.dialogs.new_round import NewRoundDialog
from tests.support import member_ws


def test_creates_the_next_round(lead_ws, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    dialog = NewRoundDialog(lead_ws)
    qtbot.addWidget(dialog)
    assert dialog.key_edit.text() == "binh-thuan-2023" and dialog.year_spin.value() == 2023
    dialog.year_spin.setValue(2024)
    assert dialog.key_edit.text() == "binh-thuan-2024" and "2024" in dialog.name_edit.text()
    assert dialog.plan().visit_start == date(2024, 12, 9)
    target = tmp_path / "dot-2024.db"
    dialog.path_edit.setText(str(target))
    with qtbot.waitSignal(dialog.created) as signal:
        dialog.accept()
    assert signal.args == [str(target.resolve())]
    assert "25 đơn vị" in shown[-1]
    db = open_database(target)
    try:
        info = Workspace(db).round_info()
        assert (info.key, info.year, info.report_deadline) == ("binh-thuan-2024", 2024, date(2024, 11, 30))
    finally:
        db.close()
    dialog.show()


def test_refusal_keeps_the_dialog_open(lead_ws, qtbot, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    dialog = NewRoundDialog(lead_ws)
    qtbot.addWidget(dialog)
    dialog.key_edit.setText("Bình Thuận 2023")
    dialog.path_edit.setText(str(tmp_path / "x.db"))
    dialog.accept()
    assert "không hợp lệ" in warnings[-1]
    assert dialog.result() != dialog.DialogCode.Accepted and dialog.result_info is None


def test_member_cannot_create(demo_db, qtbot):
    ws = member_ws(demo_db, "Chuyên viên B")
    try:
        dialog = NewRoundDialog(ws)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.lead_label.isVisible() and not dialog.create_button.isEnabled()
    finally:
        ws.db.close()
