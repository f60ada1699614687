"""Last year's recommendations in the visit panel, and previous bands in the header and preview."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ictappraise.services import followup
from ictappraise.ui.dialogs.visit_panel import VisitPanel


def _panel(qtbot, ws, code):
    panel = VisitPanel()
    qtbot.addWidget(panel)
    agency = ws.find_agency(code)
    panel.set_agency(ws, agency.id)
    panel.resize(420, 900)
    panel.show()
    return panel, agency


def test_clerk_ticks_last_years_recommendations(lead_ws, qtbot):
    panel, agency = _panel(qtbot, lead_ws, "HUPQ")  # not visited yet, two recommendations in 2021
    box = panel.followup_box
    assert box.isVisible() and box.title() == "Kết quả khắc phục kiến nghị năm 2021"
    assert len(box.states) == 2 and all(s.isEnabled() for s in box.states)

    box.notes[0].setText("Đã có quyết định phân công")
    box.notes[0].editingFinished.emit()  # a note alone waits for a result
    assert followup.items(lead_ws, agency.id)[0].state is None

    with qtbot.waitSignal(panel.changed):
        box.states[0].setCurrentIndex(box.states[0].findData("done"))
    with qtbot.waitSignal(panel.changed):
        box.states[1].setCurrentIndex(box.states[1].findData("not_done"))
    box.notes[1].setText("Chưa có kinh phí")
    with qtbot.waitSignal(panel.changed):
        box.notes[1].editingFinished.emit()
    found = followup.items(lead_ws, agency.id)
    assert [(i.state, i.note) for i in found] == [
        ("done", "Đã có quyết định phân công"),
        ("not_done", "Chưa có kinh phí"),
    ]


def test_signed_minutes_lock_the_follow_up(lead_ws, qtbot):
    panel, _agency = _panel(qtbot, lead_ws, "HUTP")
    box = panel.followup_box
    assert [s.currentText() for s in box.states] == ["Đã khắc phục", "Đang khắc phục", "Đã khắc phục"]
    assert not any(s.isEnabled() for s in box.states) and all(n.isReadOnly() for n in box.notes)


def test_no_recommendations_no_box(lead_ws, qtbot):
    panel, _agency = _panel(qtbot, lead_ws, "TUPT")
    assert not panel.followup_box.isVisible()


def test_header_and_preview_show_the_previous_band(window):
    hutp = window.ws.find_agency("HUTP")
    window.agencies.select(hutp.id)
    QApplication.processEvents()
    assert window.trend_label.text() == "Năm trước — 2021: Khá (741,5/800)"
    assert window.preview.previous.toolTip() == "Năm trước — 2021: Khá (741,5/800)"
    assert window.preview.previous.text().startswith("Năm trước — 2021")
    btc = window.ws.find_agency("BTC")  # the 2021 catalog of Phụ lục 3 had a maximum of 450
    window.agencies.select(btc.id)
    QApplication.processEvents()
    assert window.trend_label.text() == "Năm trước — 2021: Tốt (95,8% tối đa)"


def test_team_names_an_exemplary_individual(lead_ws, qtbot, qtmodeltester):
    from ictappraise.services import commendation

    panel, agency = _panel(qtbot, lead_ws, "HUPQ")
    box = panel.individuals_box
    qtmodeltester.check(box.model)
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    model = box.model
    model.setData(model.index(0, 0), "  Đặng Văn H ")
    model.setData(model.index(0, 1), "Chuyên viên phụ trách CNTT")
    assert commendation.named_individuals(lead_ws, agency.id) == ()  # no reason yet: nothing saved
    with qtbot.waitSignal(panel.changed):
        model.setData(model.index(0, 2), "Tự viết phần mềm quản lý văn bản mật")
    assert commendation.named_individuals(lead_ws, agency.id) == (
        commendation.Person(
            "Đặng Văn H", "Chuyên viên phụ trách CNTT", "Tự viết phần mềm quản lý văn bản mật"
        ),
    )
    box.view.setCurrentIndex(model.index(0, 0))
    with qtbot.waitSignal(panel.changed):
        qtbot.mouseClick(box.remove_button, Qt.MouseButton.LeftButton)
    assert commendation.named_individuals(lead_ws, agency.id) == ()


def test_signed_minutes_lock_the_individuals(lead_ws, qtbot):
    panel, _agency = _panel(qtbot, lead_ws, "HUTP")
    box = panel.individuals_box
    assert box.model.rowCount() == 1 and not box.add_button.isEnabled()
    assert not (box.model.flags(box.model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable)
