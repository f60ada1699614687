"""The preview says the same as the rating: unscored criteria listed as counted, portal months
counted as the portal rule counts them (with no quota, an empty month is not "chưa nhập")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ictappraise.services import round_admin
from ictappraise.services.appraisal import set_appraisal
from ictappraise.services.identity import lead_actor
from ictappraise.services.workspace import Workspace
from ictappraise.store.database import open_database
from ictappraise.ui.app import build_window
from ictappraise.ui.launch import application


def _window(qtbot: QtBot, demo_db: Path):
    application()
    ws = Workspace(open_database(demo_db))
    ws.actor = lead_actor(ws, "test-device")
    window = build_window(ws, today=date(2022, 12, 14))
    qtbot.addWidget(window)
    return ws, window


def test_partly_scored_criterion_counts_once_and_names_its_sub_items(qtbot: QtBot, demo_db: Path) -> None:
    ws, window = _window(qtbot, demo_db)
    try:
        agency_id = ws.find_agency("TUPT").id  # every criterion scored in the demo
        for code in ("I.4.b", "I.4.c"):
            set_appraisal(ws, agency_id, code, None)
        window.agencies.select(agency_id)
        QApplication.processEvents()
        assert window.preview.remaining.text() == "Chưa chấm đủ (1 tiêu chí): I.4 (còn I.4.b, I.4.c)"
    finally:
        window.close()
        ws.db.close()


def test_portal_line_agrees_with_the_reason_line(qtbot: QtBot, fresh_lead_ws: Workspace) -> None:
    ws = fresh_lead_ws  # nothing signed yet, so the lead may change the quota
    application()
    window = build_window(ws, today=date(2022, 12, 14))
    qtbot.addWidget(window)
    try:
        agency_id = ws.find_agency("VPTU").id  # no portal month entered
        window.agencies.select(agency_id)
        QApplication.processEvents()
        assert window.facts.short.text() == "Chưa nhập số tin, bài tháng nào (chưa nhập 12 tháng)."

        round_admin.set_round_settings(ws, portal_quota=0)
        window.agencies.select(ws.find_agency("TUPT").id)
        window.agencies.select(agency_id)
        QApplication.processEvents()
        card = ws.detail(agency_id).scorecard
        assert card.facts.portal_quota == 0 and card.facts.portal_unentered_months == 0
        reason = next(r for r in card.rating.reasons if "Cổng thông tin" in r)
        assert reason.startswith("Đã kiểm tra: 0 tháng")
        text = window.facts.short.text()
        assert "chưa nhập" not in text.lower()
        assert text == "Định mức 0 tin, bài mỗi tháng: không có tháng nào thiếu định mức."
    finally:
        window.close()
