"""History of a criterion and of an agency, as a clerk reads it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ictappraise.domain.scorecard import Appraisal
from ictappraise.services import appraisal as svc
from ictappraise.ui.dialogs.history import HistoryDialog, HistoryTableModel
from tests.support import member_ws, signed


def _cell(dialog, row, column):
    return dialog.proxy.index(row, column).data(Qt.ItemDataRole.DisplayRole)


def test_criterion_history_newest_first_with_reason(lead_ws, qtbot, qtmodeltester):
    vptu = lead_ws.find_agency("VPTU")
    leaf = next(c for c in lead_ws.catalog(2).leaves() if c.rule.kind == "ratio")
    svc.set_appraisal(lead_ws, vptu.id, leaf.code, Appraisal(input={"numerator": "45", "denominator": "50"}))
    svc.set_appraisal(
        lead_ws,
        vptu.id,
        leaf.code,
        Appraisal(input={"numerator": "40", "denominator": "50"}),
        reason="Đếm lại",
    )
    dialog = HistoryDialog(lead_ws, vptu.id, leaf.code)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)
    assert leaf.code in dialog.windowTitle()
    assert _cell(dialog, 0, HistoryTableModel.COL_NEW).startswith("40/50 → ")
    assert _cell(dialog, 0, HistoryTableModel.COL_OLD).startswith("45/50 → ")
    assert _cell(dialog, 0, HistoryTableModel.COL_REASON) == "Đếm lại"
    assert _cell(dialog, 0, HistoryTableModel.COL_WHO) == "Nguyễn Thị Thắng"
    assert _cell(dialog, 0, HistoryTableModel.COL_WHAT) == "Điểm thẩm định"
    total = dialog.proxy.rowCount()
    dialog.filter_edit.setText("Đếm lại")
    assert dialog.proxy.rowCount() == 1 < total


def test_agency_history_shows_held_edits(demo_db, qtbot):

    from ictappraise.domain.editlog import Edit
    from ictappraise.domain.fields import crit_field

    ws = member_ws(demo_db, "Chuyên viên A")
    try:
        hutp = ws.find_agency("HUTP")  # signed: an edit arriving from a laptop that did not see it is held
        ws.append(
            signed(
                ws,
                [
                    Edit(
                        "held-1",
                        crit_field(hutp.id, "I.1", "note"),
                        "Sửa muộn",
                        ws.actor.member_id,
                        "x",
                        "2022-12-15T09:00:00+07:00",
                    )
                ],
            )
        )
        dialog = HistoryDialog(ws, hutp.id, None)
        qtbot.addWidget(dialog)
        dialog.filter_edit.setText("Sửa muộn")
        assert dialog.proxy.rowCount() == 1
        assert _cell(dialog, 0, HistoryTableModel.COL_HELD) == "Giữ lại"
        assert _cell(dialog, 0, HistoryTableModel.COL_WHAT) == "Tiêu chí I.1 · Ghi chú, lý do chênh lệch"
        dialog.filter_edit.clear()
        dialog.resize(1300, 600)
        dialog.show()
    finally:
        ws.db.close()


def test_a_group_code_shows_the_whole_agency(lead_ws, qtbot):
    vptu = lead_ws.find_agency("VPTU")
    dialog = HistoryDialog(lead_ws, vptu.id, "III")
    qtbot.addWidget(dialog)
    assert dialog.code is None and dialog.model.rowCount() > 50
