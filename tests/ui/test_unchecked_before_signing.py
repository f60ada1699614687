"""Signing with a penalty rule still "Chưa kiểm tra được": allowed, but the question names it.

docs/rules.md §7 refuses signing only for conflicts and unscored criteria. A rule whose fact is not
recorded (no report date) never lowers the band, and signing locks the facts, so the sign
confirmation says so plainly; an agency with every fact recorded gets no such note.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ictappraise.domain.rating import UNCHECKED, ReasonKind
from ictappraise.services.appraisal import readiness_problems, set_report, unchecked_rules
from ictappraise.services.workspace import Workspace
from ictappraise.ui.launch import application
from ictappraise.ui.minutes_view import MinutesDialog


def _confirmation_text(qtbot: QtBot, ws: Workspace, agency_id: str) -> tuple[MinutesDialog, str]:
    application()
    dialog = MinutesDialog(ws, agency_id)
    qtbot.addWidget(dialog)
    box = dialog.sign_confirmation(ws.detail(agency_id).agency.name)
    qtbot.addWidget(box)
    return dialog, box.text() + "\n" + box.informativeText()


def test_all_facts_recorded_no_note(qtbot: QtBot, lead_ws: Workspace) -> None:
    agency_id = lead_ws.find_agency("TUPT").id  # ready to sign in the demo
    assert not readiness_problems(lead_ws, agency_id)
    assert unchecked_rules(lead_ws.detail(agency_id).scorecard) == []
    dialog, text = _confirmation_text(qtbot, lead_ws, agency_id)
    assert "Lưu ý" not in text and "chưa kiểm tra được" not in text.lower()
    assert "Lưu ý" not in dialog.status_label.text()


def test_no_report_date_is_named_in_the_sign_confirmation(qtbot: QtBot, lead_ws: Workspace) -> None:
    agency_id = lead_ws.find_agency("TUPT").id
    set_report(lead_ws, agency_id, sent=None, received=None)
    card = lead_ws.detail(agency_id).scorecard
    lines = unchecked_rules(card)
    assert len(lines) == 1 and lines[0].kind is ReasonKind.UNCHECKED and "ngày gửi báo cáo" in lines[0].text
    assert lines[0].text.startswith(UNCHECKED)
    assert not readiness_problems(lead_ws, agency_id)  # still not a reason to refuse (§7)

    dialog, text = _confirmation_text(qtbot, lead_ws, agency_id)
    assert "Lưu ý: còn điều kiện hạ bậc chưa kiểm tra được:" in text
    detail = lines[0].detail
    assert "– " + detail[:1].upper() + detail[1:] in text  # the rule itself, said plainly
    assert "được giữ nguyên" in text and "nhập đủ dữ kiện trước khi ký" in text
    assert "bị khóa" in text  # the usual consequence is still said
    assert dialog.sign_button.isEnabled()  # not refused
    status = dialog.status_label.text()
    assert "sẵn sàng ký" in status and "còn 1 điều kiện hạ bậc chưa kiểm tra được" in status


def test_praise_the_table_contradicts_is_named_before_signing(qtbot: QtBot, lead_ws: Workspace) -> None:
    """Praise in «Ưu điểm» of a criterion below half its maximum is flagged, not refused."""
    from ictappraise.domain.scorecard import Appraisal
    from ictappraise.services.appraisal import set_appraisal, set_visit
    from ictappraise.services.workspace import Change

    agency_id = lead_ws.find_agency("TUPT").id
    set_appraisal(lead_ws, agency_id, "IV.3", Appraisal(input=False))
    lead_ws.write([Change(f"agency/{agency_id}/crit/IV.3/note", "Không có máy tính riêng.")])
    set_visit(lead_ws, agency_id, strengths="Bố trí máy tính độc lập soạn thảo văn bản mật theo quy định.")
    dialog, text = _confirmation_text(qtbot, lead_ws, agency_id)
    assert "Lưu ý về phần nhận xét:" in text
    assert "tiêu chí IV.3 chỉ đạt 0/20 điểm" in text and "Phần Hạn chế chưa nêu: Tiêu chí IV.3" in text
    assert "chưa khớp với bảng điểm" in dialog.status_label.text()
