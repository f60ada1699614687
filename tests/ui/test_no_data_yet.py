"""An agency with nothing recorded yet: the list shows no score and the preview claims no check."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ictappraise.ui.agency_model import COL_BAND, COL_POINTS, AgencyTableModel
from ictappraise.ui.app import build_window
from ictappraise.ui.launch import application


def test_agency_list_shows_no_score_while_nothing_is_scored(qtbot, fresh_lead_ws) -> None:
    application()
    ws = fresh_lead_ws
    model = AgencyTableModel(ws)
    row = model.row_of(ws.find_agency("HUPQ").id)
    assert model.index(row, COL_BAND).data() == "Chưa thẩm định"  # the same words in every output
    assert model.index(row, COL_POINTS).data() == ""  # not "0": nothing is scored yet
    tooltip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Điểm: chưa chấm (tối đa 800)" in tooltip


def test_preview_of_an_agency_with_no_data_claims_no_check(qtbot, fresh_lead_ws) -> None:
    application()
    ws = fresh_lead_ws
    window = build_window(ws)
    qtbot.addWidget(window)
    try:
        window.agencies.select(ws.find_agency("HUPQ").id)
        QApplication.processEvents()
        penalties = window.preview.penalties.text()
        assert "Chưa kiểm tra được: chưa ghi ngày gửi báo cáo" in penalties
        assert "Chưa kiểm tra được: chưa nhập 12 tháng" in penalties
        assert "đúng hạn" not in penalties and "0 tháng không đủ" not in penalties
        assert "muộn 0 ngày" not in window.facts.days_late.text()
        assert "chưa ghi ngày gửi báo cáo" in window.facts.days_late.text()
        assert window.facts.short.text() == "Chưa nhập số tin, bài tháng nào (chưa nhập 12 tháng)."
    finally:
        window.close()
