"""The lead confirms, changes or declines the proposals for commendation; members only read them."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ictappraise.services import commendation
from ictappraise.ui.dialogs.commendation import CommendationDialog
from tests.support import member_ws


def _pick(dialog: CommendationDialog, code: str) -> None:
    agency = dialog.ws.find_agency(code)
    dialog.agency.setCurrentIndex(dialog.agency.findData(agency.id))


def test_lead_confirms_a_candidate_with_its_individual(lead_ws, qtbot, qtmodeltester):
    dialog = CommendationDialog(lead_ws)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    rows = dialog.model.rows()
    assert [r[:2] for r in rows if r[1] == "Đơn vị điển hình"] == [
        ("Thành ủy Phan Thiết", "Đơn vị điển hình"),
        ("Huyện ủy Tuy Phong", "Đơn vị điển hình"),
    ]
    assert all(r[3] == "Chương trình đề xuất" for r in rows)
    _pick(dialog, "HUTP")
    assert dialog.model_box.isChecked() and dialog.reason.text().startswith("Xếp loại Tốt")
    assert dialog.people.count() == 1
    dialog.people.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.reason.setText("Từ Khá (2021) lên Tốt, không bị hạ bậc")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    hutp = {p.code: p for p in commendation.proposals(lead_ws)}["HUTP"]
    assert (hutp.source, hutp.model_reason) == ("lead", "Từ Khá (2021) lên Tốt, không bị hạ bậc")
    assert [p.name for p in hutp.individuals] == ["Lê Văn E"]
    assert (
        "Huyện ủy Tuy Phong",
        "Đơn vị điển hình",
        hutp.model_reason,
        "Tổ trưởng xác nhận",
    ) in dialog.model.rows()

    _pick(dialog, "TUPT")  # declined as a model agency; its individual stays proposed
    assert dialog.people.item(0).checkState() == Qt.CheckState.Checked
    dialog.model_box.setChecked(False)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    tupt = {p.code: p for p in commendation.proposals(lead_ws)}["TUPT"]
    assert (tupt.source, tupt.model_reason, [p.name for p in tupt.individuals]) == (
        "lead",
        None,
        ["Võ Thị G"],
    )
    dialog.people.item(0).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "TUPT" not in {p.code for p in commendation.proposals(lead_ws)}

    dialog.top_n.setValue(1)
    qtbot.mouseClick(dialog.top_n_button, Qt.MouseButton.LeftButton)
    assert commendation.top_n(lead_ws) == 1 and "thuộc 1 đơn vị" in dialog.rules_label.text()


def test_members_read_only(demo_db, qtbot):
    ws = member_ws(demo_db, "Chuyên viên A")
    try:
        dialog = CommendationDialog(ws)
        qtbot.addWidget(dialog)
        assert dialog.model.rowCount() > 0
        assert not dialog.save_button.isEnabled() and not dialog.top_n.isEnabled()
    finally:
        ws.db.close()
