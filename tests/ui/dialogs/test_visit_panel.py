"""The visit panel saves each field as it is finished, and is locked once the minutes are signed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from ictappraise.services.visit_details import current_visit
from ictappraise.ui.dialogs.visit_panel import VisitPanel


def _panel(qtbot, ws, code):
    panel = VisitPanel()
    qtbot.addWidget(panel)
    agency = ws.find_agency(code)
    panel.set_agency(ws, agency.id)
    panel.resize(420, 700)
    panel.show()
    return panel, agency


def _leave(widget):
    """Leave a field as a clerk does (the offscreen platform has no window focus to move)."""
    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.TabFocusReason))


def test_fields_autosave(lead_ws, qtbot, qtmodeltester):
    panel, agency = _panel(qtbot, lead_ws, "HUPQ")  # not visited yet
    qtmodeltester.check(panel.team_model)
    qtmodeltester.check(panel.rep_model)
    assert panel.editable and not panel.locked_label.isVisible()
    assert panel.suffix_label.text() == "-BB/TTĐ"

    with qtbot.waitSignal(panel.changed):
        panel.start_edit.setText("7h30")
        panel.start_edit.editingFinished.emit()
    assert current_visit(lead_ws, agency.id).start == "07:30" and panel.start_edit.text() == "07:30"

    panel.place_edit.setText("  Hội trường Huyện ủy Phú Quý ")
    panel.place_edit.editingFinished.emit()
    panel.date_edit.setDate(QDate(2022, 12, 16))
    panel.date_edit.editingFinished.emit()
    visit = current_visit(lead_ws, agency.id)
    assert visit.place == "Hội trường Huyện ủy Phú Quý" and visit.date == date(2022, 12, 16)

    _leave(panel.strengths_edit)  # unchanged: nothing saved
    assert current_visit(lead_ws, agency.id).strengths == ""
    panel.strengths_edit.setFocus()
    qtbot.keyClicks(panel.strengths_edit, "U")  # QTest types ASCII only; the rest is pasted
    panel.strengths_edit.insertPlainText("ng dụng tốt phần mềm quản lý văn bản.")
    panel.strengths_edit.selectAll()
    panel.strengths_edit.insertPlainText("Ứng dụng tốt phần mềm quản lý văn bản.")
    _leave(panel.strengths_edit)
    assert current_visit(lead_ws, agency.id).strengths == "Ứng dụng tốt phần mềm quản lý văn bản."

    lead = lead_ws.find_member("Nguyễn Thị Thắng")
    row = next(
        r for r in range(panel.team_model.rowCount()) if panel.team_model.index(r, 0).data() == lead.name
    )
    panel.team_model.setData(
        panel.team_model.index(row, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    assert current_visit(lead_ws, agency.id).team == (lead.id,)

    panel.add_representative()
    rep = panel.rep_model
    rep.setData(rep.index(0, 1), "Bí thư Huyện ủy")  # a title alone is not saved yet
    assert current_visit(lead_ws, agency.id).representatives == ()
    rep.setData(rep.index(0, 0), "Nguyễn Văn Đại")
    reps = current_visit(lead_ws, agency.id).representatives
    assert [(r.name, r.title) for r in reps] == [("Nguyễn Văn Đại", "Bí thư Huyện ủy")]

    panel.reserve_radio.click()  # may be scrolled out of the 700-pixel view
    assert current_visit(lead_ws, agency.id).opinion == "reserve"

    panel.rep_view.selectRow(0)
    qtbot.mouseClick(panel.remove_rep_button, Qt.MouseButton.LeftButton)
    assert current_visit(lead_ws, agency.id).representatives == ()

    history = lead_ws.history(f"agency/{agency.id}/visit/start")
    assert history[-1].new_value == "07:30" and history[-1].author_name == "Nguyễn Thị Thắng"


def test_bad_time_is_refused_and_the_field_restored(lead_ws, qtbot, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    panel, agency = _panel(qtbot, lead_ws, "HUPQ")
    before = current_visit(lead_ws, agency.id).start
    panel.start_edit.setText("8 giờ sáng")
    panel.start_edit.editingFinished.emit()
    assert "không hợp lệ" in warnings[-1]
    assert panel.start_edit.text() == before
    panel.end_edit.setText("06:00")
    panel.end_edit.editingFinished.emit()
    assert "phải sau giờ bắt đầu" in warnings[-1]


def test_signed_visit_is_locked(lead_ws, qtbot):
    panel, agency = _panel(qtbot, lead_ws, "HUTP")
    assert panel.locked_label.isVisible()
    assert not panel.editable and not panel.add_rep_button.isEnabled()
    assert not panel.team_model.flags(panel.team_model.index(0, 0)) & Qt.ItemFlag.ItemIsUserCheckable
    assert panel.place_edit.text() == "Hội trường Huyện ủy Tuy Phong"
    assert panel.rep_model.rowCount() == 2


def test_a_bidi_override_in_the_place_is_refused_with_a_message(lead_ws, qtbot, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    panel, agency = _panel(qtbot, lead_ws, "HUPQ")
    before = current_visit(lead_ws, agency.id).place
    panel.place_edit.setText("Hội trường \u202eỦy ban")  # reads backwards when printed
    panel.place_edit.editingFinished.emit()
    assert shown and "U+202E" in shown[0] and "ký tự điều khiển" in shown[0]
    assert current_visit(lead_ws, agency.id).place == before
    assert panel.place_edit.text() == before  # the panel shows what is really recorded
