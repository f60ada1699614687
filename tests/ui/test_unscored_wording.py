"""The preview and the agencies panel count unscored criteria, and list the criteria they count."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ictappraise.ui.main_window import MainWindow


def test_preview_and_tooltip_count_criteria_not_sub_items(window: MainWindow) -> None:
    ws = window.ws
    agency_id = ws.find_agency("HUPQ").id  # Phụ lục 2, not yet appraised
    window.agencies.select(agency_id)
    QApplication.processEvents()
    card = ws.detail(agency_id).scorecard
    assert (len(card.unscored_criteria), len(card.unscored)) == (34, 46)
    text = window.preview.remaining.text()
    assert text.startswith("Chưa chấm đủ (34 tiêu chí): I.1, I.2, I.3, I.4, I.5")  # criteria, as counted
    assert "I.4.a" not in text  # no sub-item while the whole criterion is unscored
    model = window.agency_model
    tooltip = model.index(model.row_of(agency_id), 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Chưa chấm: 34 tiêu chí" in tooltip
